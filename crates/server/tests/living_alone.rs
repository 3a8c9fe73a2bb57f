//! People living alone: a household (form version 3) lists someone who
//! lives alone; a week without a look is an alert for the coordinator, and
//! the look that is finally made clears it. Bad weekly checks are refused.

use axum::http::StatusCode;
use serde_json::{json, Value};
use walkbook_server::campaigns::now_ms;

mod common;
use common::{call, coordinator, get, invite_volunteer, push_records, request, server, volunteer_cookie};

const CAMPAIGN: &str = "demo-xingfu";
const GRANDMA: &str = "77777777-7777-4777-8777-777777777777";
const DAY: i64 = 86_400_000;

fn record(volunteer_id: &str, seq: u64, at: i64, kind: Value) -> Value {
    json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": CAMPAIGN, "door_id": "xfl-01-1-101", "form_id": "household",
        "form_version": 3, "outcome": { "kind": "answered" }, "volunteer_id": volunteer_id, "device_id": "phone-1",
        "device_seq": seq, "device_time": at, "kind": kind
    })
}

#[tokio::test]
async fn a_person_living_alone_not_seen_for_a_week_is_an_alert_until_someone_goes() {
    let server = server().await;
    let cookie = coordinator(&server, &[CAMPAIGN]).await;
    let (_, invitation) = invite_volunteer(&server, &cookie, CAMPAIGN, "Xiao Wang").await;
    let phone = volunteer_cookie(&server, invitation["code"].as_str().unwrap()).await;
    let volunteer_id = invitation["volunteer_id"].as_str().unwrap();

    // Registered nine days ago, living alone.
    let nine_days_ago = now_ms() - 9 * DAY;
    let mut household = record(volunteer_id, 1, nine_days_ago, json!({ "type": "visit" }));
    household.as_object_mut().unwrap().remove("kind");
    household["answers"] = json!({ "people": [{ "id": GRANDMA, "answers": {
        "name": "Granny Liu", "relation": "head", "age_band": "60+", "tenure": "owner", "returned_from": "none",
        "health_code": "green", "lives_alone": true } }] });
    assert_eq!(push_records(&server, &phone, &[&household]).await[0]["status"], "stored");

    let missed = || async {
        let (status, _, alerts) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/alerts"), &cookie)).await;
        assert_eq!(status, StatusCode::OK);
        alerts.as_array().unwrap().iter().filter(|a| a["kind"] == "weekly_check_missed").cloned().collect::<Vec<Value>>()
    };
    let alerts = missed().await;
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!((&alerts[0]["person_name"], &alerts[0]["door"]["label"]), (&json!("Granny Liu"), &json!("1-1-101")));
    assert!(alerts[0]["detail"].as_str().unwrap().contains("a weekly check was owed by"), "{alerts:?}");
    assert!(alerts[0]["id"].as_str().unwrap().starts_with(&format!("weekly:{GRANDMA}:")));

    // Marking it handled keeps it listed as handled.
    let id = alerts[0]["id"].as_str().unwrap();
    let handled = request("POST", &format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/alerts/{id}/handled"), &cookie, "application/json", "");
    assert_eq!(call(&server, handled).await.0, StatusCode::OK);
    assert_eq!(missed().await[0]["handled_by"], "Secretary Liu");

    // Refused: no person, an overlong note.
    let refused = [
        (record(volunteer_id, 2, now_ms(), json!({ "type": "weekly_check", "person_id": "" })), "a weekly check names a person"),
        (record(volunteer_id, 3, now_ms(), json!({ "type": "weekly_check", "person_id": GRANDMA, "note": "x".repeat(501) })), "at most 500"),
    ];
    for (check, why) in &refused {
        let result = &push_records(&server, &phone, &[check]).await[0];
        assert_eq!(result["status"], "rejected", "{result}");
        assert!(result["reason"].as_str().unwrap().contains(why), "{result}");
    }

    // Someone goes: the alert goes, the next look is owed a week on.
    let look = record(volunteer_id, 4, now_ms(), json!({ "type": "weekly_check", "person_id": GRANDMA, "note": "well, fridge full" }));
    assert_eq!(push_records(&server, &phone, &[&look]).await[0]["status"], "stored");
    assert!(missed().await.is_empty());
}
