//! Retention: closing a campaign, and erasing its personal data when its
//! retention period ends (or at once), against a real database.

use axum::http::StatusCode;
use serde_json::{json, Value};
use walkbook_server::campaigns::now_ms;
use walkbook_server::retention;

mod common;
use common::{call, coordinator, get, invite_volunteer, post, push_records, request, server, text, volunteer_cookie, Server};

const CAMPAIGN: &str = "demo-xingfu";
const PERSON: &str = "11111111-1111-4111-8111-111111111111";

async fn invite(server: &Server, cookie: &str, name: &str) -> (StatusCode, Value) {
    invite_volunteer(server, cookie, CAMPAIGN, name).await
}

fn record(volunteer_id: &str, device_seq: u64, door: &str, outcome: &str, answers: Value) -> Value {
    json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": CAMPAIGN, "door_id": door, "form_id": "household", "form_version": 2,
        "outcome": { "kind": outcome }, "answers": answers,
        "volunteer_id": volunteer_id, "device_id": "phone-1", "device_seq": device_seq, "device_time": now_ms()
    })
}

async fn push(server: &Server, cookie: &str, records: &[&Value]) -> Vec<Value> {
    push_records(server, cookie, records).await
}

async fn bodies(server: &Server) -> String {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT body FROM records").fetch_all(&server.db).await.unwrap();
    rows.into_iter().map(|(body,)| body).collect::<Vec<_>>().join("\n")
}

#[tokio::test]
async fn a_closed_campaign_keeps_its_counts_and_loses_its_personal_data_when_its_time_is_up() {
    let server = server().await;
    let cookie = coordinator(&server, &[CAMPAIGN]).await;
    let (_, invitation) = invite(&server, &cookie, "Xiao Wang").await;
    let volunteer = volunteer_cookie(&server, invitation["code"].as_str().unwrap()).await;
    let volunteer_id = invitation["volunteer_id"].as_str().unwrap();
    let (_, not_yet_joined) = invite(&server, &cookie, "Lao Zhou").await;

    let household = record(
        volunteer_id,
        1,
        "xfl-01-1-101",
        "answered",
        json!({
            "people": [{ "id": PERSON, "answers": {
                "name": "Chen Mei Ling", "phone": "138 0013 8000", "relation": "head", "age_band": "18-59", "tenure": "owner",
                "returned_from": "none", "health_code": "green" } }],
            "notes": "Mrs Chen's son visits on Sundays"
        }),
    );
    let not_home = record(volunteer_id, 2, "xfl-01-1-102", "not_home", json!({}));
    // A correction's reason is free text too.
    let mut corrected = record(volunteer_id, 5, "xfl-01-1-102", "refused", json!({}));
    corrected["supersedes"] = not_home["id"].clone();
    corrected["reason"] = json!("Mr Wu next door says they refuse");
    // So are a need's details and the note of its update.
    let mut need = record(volunteer_id, 6, "xfl-01-1-101", "answered", json!({}));
    need["kind"] = json!({ "type": "need", "need": "medicine", "details": "insulin for Mrs Chen" });
    let mut delivered = record(volunteer_id, 7, "xfl-01-1-101", "answered", json!({}));
    delivered["kind"] = json!({ "type": "need_update", "need_id": need["id"], "status": "done", "note": "left with her neighbour Mr Li" });
    // A weekly look's note, and who came to the gate.
    let mut look = record(volunteer_id, 8, "xfl-01-1-101", "answered", json!({}));
    look["kind"] = json!({ "type": "weekly_check", "person_id": PERSON, "note": "her daughter Mei brings lunch" });
    let mut at_gate = record(volunteer_id, 9, "", "answered", json!({}));
    (at_gate["form_id"], at_gate["form_version"]) = (json!(""), json!(0));
    at_gate["kind"] = json!({ "type": "visitor", "gate_id": "north-gate", "name": "Zhou Xiaoyan", "phone": "139 0000 1111",
        "building_id": "xfl-01", "purpose": "visits Mrs Chen", "celsius": 36.5 });
    let results = push(&server, &volunteer, &[&household, &not_home, &corrected, &need, &delivered, &look, &at_gate]).await;
    assert!(results.iter().all(|r| r["status"] == "stored"), "{results:?}");
    let coverage = || async {
        let (status, _, coverage) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/coverage"), &cookie)).await;
        assert_eq!(status, StatusCode::OK);
        coverage["coverage"].clone()
    };
    let export =
        |file: &str| request("GET", &format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/exports/{file}"), &cookie, "text/plain", "");
    let counted = coverage().await;
    let (_, doors_before) = text(&server, export("doors.csv")).await;

    // Closed: once.
    let close = || post(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/close"), Some(&cookie), "");
    let (status, _, closed) = call(&server, close()).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    let closed_at = closed["closed_at"].as_i64().unwrap();
    assert_eq!(closed["erase_personal_data_at"].as_i64(), Some(closed_at + 30 * 86_400_000), "30 days by default");
    let (status, _, again) = call(&server, close()).await;
    assert_eq!((status, again["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("campaign_closed")));

    // Phones learn it on their next pull, which carries no more records.
    let (_, _, pulled) = call(&server, get("/api/v1/sync/pull?cursor=0&device_id=phone-2", &volunteer)).await;
    assert_eq!(pulled["campaign"]["campaign"]["closed_at"].as_i64(), Some(closed_at), "{pulled}");
    assert_eq!(pulled["records"], json!([]));
    // No new volunteers, no new territory; a code handed out before is refused.
    let (status, refused) = invite(&server, &cookie, "Late").await;
    assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("campaign_closed")));
    let (status, _, refused) = call(&server, post("/api/v1/join", None, json!({ "code": not_yet_joined["code"] }).to_string())).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("campaign_closed")));
    let territory = "building,entrance,floor,door\nBlock A,1,1,101\n";
    let (status, body) =
        text(&server, request("PUT", &format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/territory"), &cookie, "text/csv", territory)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("the campaign is closed"), "{body}");
    // A record made before closing still arrives.
    let late = record(volunteer_id, 3, "xfl-01-1-201", "refused", json!({}));
    let results = push(&server, &volunteer, &[&late]).await;
    assert_eq!(results[0]["status"], "stored", "{results:?}");

    // Not yet due: nothing erased.
    retention::erase_due(&server.db, now_ms()).await.unwrap();
    assert!(bodies(&server).await.contains("Chen Mei Ling"));
    let settings = |body: &str| {
        request("PATCH", &format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/settings"), &cookie, "application/json", body.to_string())
    };
    assert_eq!(call(&server, settings(r#"{"retention_days":3651}"#)).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(call(&server, settings(r#"{"retention_days":0}"#)).await.0, StatusCode::OK);

    // Due: names, phone numbers and notes are gone; choices, counts,
    // statuses and dates stay.
    retention::erase_due(&server.db, now_ms()).await.unwrap();
    let stored = bodies(&server).await;
    for personal in ["Chen Mei Ling", "138 0013 8000", "Sundays", "Mr Wu", "insulin", "Mr Li", "lunch", "Zhou Xiaoyan", "139 0000", "visits Mrs"] {
        assert!(!stored.contains(personal), "{personal} is still stored: {stored}");
    }
    let (_, people) = text(&server, export("people.csv")).await;
    assert!(people.contains(&format!("{PERSON},,head,18-59,owner,")), "{people}");
    let (_, doors_after) = text(&server, export("doors.csv")).await;
    assert_eq!(
        doors_after.lines().filter(|l| l.contains(",final,")).count(),
        doors_before.lines().filter(|l| l.contains(",final,")).count() + 1
    );
    assert_eq!(coverage().await["visited"], counted["visited"].as_u64().unwrap() + 1);
    let hashes: Vec<(String,)> = sqlx::query_as("SELECT content_hash FROM records").fetch_all(&server.db).await.unwrap();
    assert!(hashes.iter().all(|(hash,)| hash == retention::ERASED_HASH), "no hash of the original contents is kept");

    // A phone that never heard its push acknowledged is told it arrived;
    // a record made now is refused with the reason.
    let results = push(&server, &volunteer, &[&household, &record(volunteer_id, 4, "xfl-01-1-202", "vacant", json!({}))]).await;
    assert_eq!(results[0]["status"], "duplicate");
    assert_eq!(results[1]["status"], "rejected");
    assert!(results[1]["reason"].as_str().unwrap().contains("personal data erased"), "{results:?}");
    let (_, _, bundle) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}"), &cookie)).await;
    assert!(bundle["campaign"]["personal_data_erased_at"].as_i64().is_some());
    let (status, _, refused) = call(&server, settings(r#"{"retention_days":90}"#)).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("personal_data_erased")));
    // Another pass finds nothing left to do.
    let before = bodies(&server).await;
    retention::erase_due(&server.db, now_ms()).await.unwrap();
    assert_eq!(bodies(&server).await, before);
}

#[tokio::test]
async fn erasing_is_refused_for_an_open_campaign_and_an_unknown_one() {
    let server = server().await;
    let open = retention::erase_personal_data(&server.db, CAMPAIGN, now_ms()).await.unwrap_err();
    assert!(open.to_string().contains("is open"), "{open}");
    let unknown = retention::close(&server.db, "nowhere", now_ms()).await.unwrap_err();
    assert!(unknown.to_string().contains("No campaign nowhere"), "{unknown}");
    // Another coordinator's campaign cannot be closed by this one.
    let cookie = coordinator(&server, &["other"]).await;
    let (status, _, _) = call(&server, post(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/close"), Some(&cookie), "")).await;
    assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{status}");
    let (_, _, bundle) = call(&server, get("/api/v1/demo/campaign", "")).await;
    assert!(bundle["campaign"].get("closed_at").is_none(), "still open: {bundle}");
}
