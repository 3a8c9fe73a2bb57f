//! Corrections and withdrawals made on a phone: a reading typed wrong, a
//! notice not posted, a floor closed too early; what they change (alerts,
//! coverage, exports) and the audit trail, and the ones refused.

use axum::http::StatusCode;
use serde_json::{json, Value};
use walkbook_server::campaigns::now_ms;

mod common;
use common::{call, coordinator, get, invite_volunteer, push_records, request, server, text, volunteer_cookie, Server};

const CAMPAIGN: &str = "demo-xingfu";
const PERSON: &str = "22222222-2222-4222-8222-222222222222";

/// A record of `kind` (JSON) by the volunteer, made now on phone-1.
fn record(volunteer_id: &str, device_seq: u64, door: &str, kind: Value, supersedes: Option<&Value>, reason: Option<&str>) -> Value {
    let mut record = json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": CAMPAIGN, "door_id": door, "form_id": "household", "form_version": 2,
        "outcome": { "kind": "answered" }, "volunteer_id": volunteer_id, "device_id": "phone-1", "device_seq": device_seq,
        "device_time": now_ms() + device_seq as i64, "kind": kind
    });
    if let Some(replaced) = supersedes {
        record["supersedes"] = replaced["id"].clone();
    }
    if let Some(reason) = reason {
        record["reason"] = json!(reason);
    }
    record
}

fn reading(celsius: f64) -> Value {
    json!({ "type": "temperature_check", "person_id": PERSON, "slot": { "date": "2026-12-02", "half": "morning" }, "celsius": celsius })
}

fn floor_kind(kind: &str, building: &str, floor: i32) -> Value {
    json!({ "type": kind, "building_id": building, "floor": floor })
}

async fn open_alerts(server: &Server, cookie: &str) -> Vec<Value> {
    let (_, _, alerts) = call(server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/alerts"), cookie)).await;
    alerts.as_array().unwrap().iter().filter(|a| a["kind"] == "fever" && a["handled_at"].is_null()).cloned().collect()
}

#[tokio::test]
async fn a_wrong_reading_a_notice_and_a_closure_are_corrected_with_their_reasons_on_record() {
    let server = server().await;
    let cookie = coordinator(&server, &[CAMPAIGN]).await;
    let (_, invitation) = invite_volunteer(&server, &cookie, CAMPAIGN, "Xiao Wang").await;
    let volunteer = volunteer_cookie(&server, invitation["code"].as_str().unwrap()).await;
    let volunteer_id = invitation["volunteer_id"].as_str().unwrap();
    let door = "xfl-01-1-101";
    let household = json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": CAMPAIGN, "door_id": door, "form_id": "household", "form_version": 2,
        "outcome": { "kind": "answered" }, "volunteer_id": volunteer_id, "device_id": "phone-1", "device_seq": 1, "device_time": now_ms(),
        "answers": { "people": [{ "id": PERSON, "answers": {
            "name": "Chen", "relation": "head", "age_band": "60+", "tenure": "owner", "returned_from": "province",
            "returned_on": "2026-11-30", "health_code": "green", "quarantine_until": "2026-12-10" } }] }
    });
    let typo = record(volunteer_id, 2, door, reading(38.2), None, None);
    let notice = record(volunteer_id, 3, "", floor_kind("floor_notice", "xfl-01", 1), None, None);
    let closed = record(volunteer_id, 4, "", floor_kind("floor_closed", "xfl-01", 2), None, None);
    let results = push_records(&server, &volunteer, &[&household, &typo, &notice, &closed]).await;
    assert!(results.iter().all(|r| r["status"] == "stored"), "{results:?}");
    assert_eq!(open_alerts(&server, &cookie).await.len(), 1, "38.2 °C is a fever");

    // Refused, each for its reason.
    let refused = [
        (record(volunteer_id, 5, door, reading(36.2), None, Some("typo")), "only a record that replaces another gives a reason"),
        (record(volunteer_id, 6, door, reading(36.2), Some(&typo), Some("  ")), "a reason is 1 to 500"),
        (record(volunteer_id, 7, "", floor_kind("void", "xfl-01", 1), Some(&notice), None), "names the record it withdraws and why"),
        (
            record(volunteer_id, 8, "", floor_kind("void", "xfl-02", 1), Some(&notice), Some("wrong building")),
            "it replaces a record of building 'xfl-01'",
        ),
        (record(volunteer_id, 9, door, floor_kind("void", "xfl-01", 1), Some(&typo), Some("a door")), "names no door"),
    ];
    for (record, why) in &refused {
        let results = push_records(&server, &volunteer, &[record]).await;
        assert_eq!(results[0]["status"], "rejected", "{why}: {results:?}");
        assert!(results[0]["reason"].as_str().unwrap().contains(why), "{why}: {results:?}");
    }

    // The reading corrected; the notice and the closure withdrawn.
    let fixed = record(volunteer_id, 10, door, reading(36.2), Some(&typo), Some("typed 38.2 for 36.2"));
    let not_posted = record(volunteer_id, 11, "", floor_kind("void", "xfl-01", 1), Some(&notice), Some("posted on floor 2, not 1"));
    let reopened = record(volunteer_id, 12, "", floor_kind("void", "xfl-01", 2), Some(&closed), Some("door 202 was not visited"));
    let results = push_records(&server, &volunteer, &[&fixed, &not_posted, &reopened]).await;
    assert!(results.iter().all(|r| r["status"] == "stored"), "{results:?}");

    // The fever alert closed by itself; the checks list the correction only.
    assert!(open_alerts(&server, &cookie).await.is_empty());
    let (_, _, alerts) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/alerts"), &cookie)).await;
    let fever = alerts.as_array().unwrap().iter().find(|a| a["kind"] == "fever").unwrap();
    assert_eq!(fever["handled_by"], "a correction");
    let export =
        |file: &str| request("GET", &format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/exports/{file}"), &cookie, "text/plain", "");
    let (_, checks) = text(&server, export("checks.csv")).await;
    assert!(checks.contains(",36.2,no,") && !checks.contains("38.2"), "{checks}");
    // Floor 1 has no notice, floor 2 is open again.
    let (_, _, coverage) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/coverage"), &cookie)).await;
    let floors = &coverage["buildings"][0]["floors"];
    assert_eq!((&floors[0]["notices"], floors[1]["closed_at"].as_i64()), (&json!([]), None), "{floors}");

    // The audit trail: what, where, who, when, why.
    let (status, audit) = text(&server, export("audit.csv")).await;
    assert_eq!(status, StatusCode::OK);
    let rows: Vec<&str> = audit.trim_end().split("\r\n").collect();
    assert_eq!(rows.len(), 4, "{audit}");
    assert!(rows[0].ends_with("corrected_at,building,floor,door,kind,change,replaced_record,record_id,by,reason"), "{audit}");
    let row_of = |record: &Value| *rows.iter().find(|row| row.contains(record["id"].as_str().unwrap())).unwrap();
    let reading_row = row_of(&fixed);
    assert!(reading_row.contains(&format!(",1,1-1-101,temperature_check,corrected,{},", typo["id"].as_str().unwrap())), "{reading_row}");
    assert!(reading_row.ends_with(",Xiao Wang,typed 38.2 for 36.2"), "{reading_row}");
    assert!(row_of(&not_posted).contains(",1,,floor_notice,withdrawn,"), "{audit}");
    assert!(row_of(&reopened).contains(",2,,floor_closed,withdrawn,"), "{audit}");
}

#[tokio::test]
async fn a_coordinator_voids_a_record_made_at_the_wrong_door_and_phones_learn_it() {
    let server = server().await;
    let cookie = coordinator(&server, &[CAMPAIGN]).await;
    let (_, invitation) = invite_volunteer(&server, &cookie, CAMPAIGN, "Xiao Wang").await;
    let volunteer = volunteer_cookie(&server, invitation["code"].as_str().unwrap()).await;
    let volunteer_id = invitation["volunteer_id"].as_str().unwrap();
    let (_, other) = invite_volunteer(&server, &cookie, CAMPAIGN, "Lao Zhou").await;
    let other_phone = volunteer_cookie(&server, other["code"].as_str().unwrap()).await;
    let door = "xfl-01-1-102";
    let mut wrong_door = record(volunteer_id, 1, door, json!({ "type": "visit" }), None, None);
    wrong_door["answers"] = json!({ "people": [{ "id": PERSON, "answers": {
        "name": "Chen", "relation": "head", "age_band": "60+", "tenure": "owner", "returned_from": "none", "health_code": "red" } }] });
    wrong_door.as_object_mut().unwrap().remove("kind");
    assert_eq!(push_records(&server, &volunteer, &[&wrong_door]).await[0]["status"], "stored");
    let coverage = || async {
        let (_, _, coverage) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/coverage"), &cookie)).await;
        coverage["coverage"]["visited"].as_u64().unwrap()
    };
    assert_eq!(coverage().await, 1);
    let red_codes = || async {
        let (_, _, alerts) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/alerts"), &cookie)).await;
        alerts.as_array().unwrap().iter().filter(|a| a["kind"] == "red_code" && a["handled_at"].is_null()).count()
    };
    assert_eq!(red_codes().await, 1);

    let void = |record: &str, body: &str| {
        request(
            "POST",
            &format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/records/{record}/void"),
            &cookie,
            "application/json",
            body.to_string(),
        )
    };
    let id = wrong_door["id"].as_str().unwrap();
    // Refused: no reason, an unknown record, a volunteer's session.
    assert_eq!(call(&server, void(id, r#"{"reason":" "}"#)).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(call(&server, void("11111111-1111-4111-8111-111111111111", r#"{"reason":"x"}"#)).await.0, StatusCode::NOT_FOUND);
    let as_volunteer = request(
        "POST",
        &format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/records/{id}/void"),
        &volunteer,
        "application/json",
        r#"{"reason":"x"}"#,
    );
    assert_eq!(call(&server, as_volunteer).await.0, StatusCode::FORBIDDEN);

    let (status, _, voided) = call(&server, void(id, r#"{"reason":"recorded at 101's door by mistake"}"#)).await;
    assert_eq!(status, StatusCode::OK, "{voided}");
    assert_eq!((voided["supersedes"].as_str(), voided["kind"]["type"].as_str()), (Some(id), Some("void")));
    let (status, _, again) = call(&server, void(id, r#"{"reason":"twice"}"#)).await;
    assert_eq!((status, again["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("already_replaced")));

    // It no longer counts: the door is unvisited, the person unregistered,
    // the red code closed; the volunteers list shows no console row.
    assert_eq!(coverage().await, 0);
    assert_eq!(red_codes().await, 0);
    let export =
        |file: &str| request("GET", &format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/exports/{file}"), &cookie, "text/plain", "");
    let (_, people) = text(&server, export("people.csv")).await;
    assert!(!people.contains(PERSON), "{people}");
    let (_, doors) = text(&server, export("doors.csv")).await;
    assert!(doors.contains(&format!(",{door},unvisited,")), "{doors}");
    let (_, audit) = text(&server, export("audit.csv")).await;
    assert!(
        audit.contains(&format!(",visit,withdrawn,{id},")) && audit.ends_with(",Secretary Liu,recorded at 101's door by mistake\r\n"),
        "{audit}"
    );
    let (_, _, volunteers) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/volunteers"), &cookie)).await;
    assert_eq!(volunteers.as_array().unwrap().len(), 2, "{volunteers}");
    // Another phone's next pull brings the void.
    let (_, _, pulled) = call(&server, get("/api/v1/sync/pull?cursor=0&device_id=phone-2", &other_phone)).await;
    let kinds: Vec<&str> = pulled["records"].as_array().unwrap().iter().map(|r| r["kind"]["type"].as_str().unwrap_or("visit")).collect();
    assert_eq!(kinds, ["visit", "void"]);
}
