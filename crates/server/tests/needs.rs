//! Needs of households in quarantine: raised at a door by one volunteer,
//! taken up and finished by another, listed by status for the coordinator
//! and exported; the ones that cannot be stored are refused with why.

use axum::http::StatusCode;
use serde_json::{json, Value};
use walkbook_server::campaigns::now_ms;

mod common;
use common::{call, coordinator, get, invite_volunteer, push_records, request, server, text, volunteer_cookie, Server};

const CAMPAIGN: &str = "demo-xingfu";
const CHEN: &str = "66666666-6666-4666-8666-666666666666";

fn record(volunteer_id: &str, seq: u64, door: &str, kind: Value) -> Value {
    json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": CAMPAIGN, "door_id": door, "form_id": "household", "form_version": 2,
        "outcome": { "kind": "answered" }, "volunteer_id": volunteer_id, "device_id": "phone-1", "device_seq": seq,
        "device_time": now_ms() + seq as i64, "kind": kind
    })
}

async fn volunteer(server: &Server, cookie: &str, name: &str) -> (String, String) {
    let (_, invitation) = invite_volunteer(server, cookie, CAMPAIGN, name).await;
    (volunteer_cookie(server, invitation["code"].as_str().unwrap()).await, invitation["volunteer_id"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn a_need_raised_by_one_volunteer_is_taken_up_and_finished_by_another() {
    let server = server().await;
    let cookie = coordinator(&server, &[CAMPAIGN]).await;
    let (wang, wang_id) = volunteer(&server, &cookie, "Xiao Wang").await;
    let (li, li_id) = volunteer(&server, &cookie, "Xiao Li").await;
    let door = "xfl-01-1-101";
    let household = json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": CAMPAIGN, "door_id": door, "form_id": "household", "form_version": 2,
        "outcome": { "kind": "answered" }, "volunteer_id": wang_id, "device_id": "phone-1", "device_seq": 1, "device_time": now_ms(),
        "answers": { "people": [{ "id": CHEN, "answers": {
            "name": "Chen", "relation": "head", "age_band": "60+", "tenure": "owner", "returned_from": "none", "health_code": "green" } }] }
    });
    let need = record(&wang_id, 2, door, json!({ "type": "need", "person_id": CHEN, "need": "groceries", "details": "rice, eggs" }));
    let results = push_records(&server, &wang, &[&household, &need]).await;
    assert!(results.iter().all(|r| r["status"] == "stored"), "{results:?}");
    let need_id = need["id"].as_str().unwrap();
    let listed = |query: &str| {
        let uri = format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/needs{query}");
        let cookie = cookie.clone();
        let server = &server;
        async move {
            let (status, _, body) = call(server, get(&uri, &cookie)).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body.as_array().unwrap().clone()
        }
    };
    let open = listed("?status=open").await;
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(
        (&open[0]["need_id"], &open[0]["door_label"], &open[0]["person_name"], &open[0]["kind"], &open[0]["details"], &open[0]["raised_by"]),
        (&json!(need_id), &json!("1-1-101"), &json!("Chen"), &json!("groceries"), &json!("rice, eggs"), &json!("Xiao Wang"))
    );

    // Another volunteer takes it up, then finishes it.
    let update = |seq, status: &str| record(&li_id, seq, door, json!({ "type": "need_update", "need_id": need_id, "status": status }));
    let taken = update(1, "in_progress");
    assert_eq!(push_records(&server, &li, &[&taken]).await[0]["status"], "stored");
    assert!(listed("?status=open").await.is_empty());
    let in_progress = listed("?status=in_progress").await;
    assert_eq!((&in_progress[0]["status"], &in_progress[0]["changed_by"]), (&json!("in_progress"), &json!("Xiao Li")));
    assert_eq!(push_records(&server, &li, &[&update(2, "done")]).await[0]["status"], "stored");
    let all = listed("").await;
    assert_eq!((all.len(), &all[0]["status"]), (1, &json!("done")));

    let (status, csv) =
        text(&server, request("GET", &format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/exports/needs.csv"), &cookie, "text/plain", "")).await;
    assert_eq!(status, StatusCode::OK);
    let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(rows[0], "raised_at,building,floor,door,door_id,person,need,details,status,raised_by,changed_at,changed_by,need_id");
    assert!(rows[1].contains(",1,1-1-101,xfl-01-1-101,Chen,groceries,\"rice, eggs\",done,Xiao Wang,"), "{csv}");
    assert!(rows[1].ends_with(&format!(",Xiao Li,{need_id}")), "{csv}");

    let (status, _, body) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/needs?status=urgent"), &cookie)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn needs_that_cannot_be_stored_are_refused_with_why() {
    let server = server().await;
    let cookie = coordinator(&server, &[CAMPAIGN]).await;
    let (wang, wang_id) = volunteer(&server, &cookie, "Xiao Wang").await;
    let need = record(&wang_id, 1, "xfl-01-1-101", json!({ "type": "need", "need": "medicine" }));
    assert_eq!(push_records(&server, &wang, &[&need]).await[0]["status"], "stored", "for the whole household, no details");
    let need_id = need["id"].as_str().unwrap();
    let refused = [
        (record(&wang_id, 2, "nowhere", json!({ "type": "need", "need": "parcel" })), "there is no door 'nowhere'"),
        (record(&wang_id, 3, "xfl-01-1-101", json!({ "type": "need", "need": "parcel", "details": "x".repeat(501) })), "at most 500"),
        (
            record(&wang_id, 4, "xfl-01-1-102", json!({ "type": "need_update", "need_id": need_id, "status": "done" })),
            "it updates a need of door 'xfl-01-1-101', not of door 'xfl-01-1-102'",
        ),
        (record(&wang_id, 5, "xfl-01-1-101", json!({ "type": "need_update", "need_id": "42", "status": "done" })), "not a record id"),
    ];
    for (record, why) in &refused {
        let results = push_records(&server, &wang, &[record]).await;
        assert_eq!(results[0]["status"], "rejected", "{why}: {results:?}");
        assert!(results[0]["reason"].as_str().unwrap().contains(why), "{why}: {results:?}");
    }
    // A kind the server does not know is refused with the request.
    let mut unknown = record(&wang_id, 6, "xfl-01-1-101", json!({ "type": "need", "need": "haircut" }));
    unknown["device_seq"] = json!(6);
    let body = json!({ "device_id": "phone-1", "records": [unknown] }).to_string();
    let (status, _, _) = call(&server, common::post("/api/v1/sync/push", Some(&wang), body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
