//! Notice rounds: a campaign names its notices, each floor records each
//! once, coverage shows each by floor; unknown notices and changes that
//! would re-label records are refused.

use axum::http::StatusCode;
use serde_json::{json, Value};
use walkbook_server::campaigns::now_ms;

mod common;
use common::{call, coordinator, get, invite_volunteer, push_records, request, server, volunteer_cookie};

const CAMPAIGN: &str = "demo-xingfu";

fn notice(volunteer_id: &str, seq: u64, floor: i32, notice_id: Option<&str>) -> Value {
    let mut kind = json!({ "type": "floor_notice", "building_id": "xfl-01", "floor": floor });
    if let Some(notice_id) = notice_id {
        kind["notice_id"] = json!(notice_id);
    }
    json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": CAMPAIGN, "door_id": "", "form_id": "household", "form_version": 2,
        "outcome": { "kind": "answered" }, "volunteer_id": volunteer_id, "device_id": "phone-1", "device_seq": seq,
        "device_time": now_ms() + seq as i64, "kind": kind
    })
}

#[tokio::test]
async fn each_floor_records_each_notice_and_coverage_shows_them() {
    let server = server().await;
    let cookie = coordinator(&server, &[CAMPAIGN]).await;
    let (_, invitation) = invite_volunteer(&server, &cookie, CAMPAIGN, "Xiao Wang").await;
    let volunteer = volunteer_cookie(&server, invitation["code"].as_str().unwrap()).await;
    let volunteer_id = invitation["volunteer_id"].as_str().unwrap();
    // The demo names two: the sheet, then the letter. A notice naming none
    // (an app from before notices were named) posts the first.
    let sheet = notice(volunteer_id, 1, 1, Some("sheet"));
    let letter = notice(volunteer_id, 2, 1, Some("letter"));
    let unnamed = notice(volunteer_id, 3, 2, None);
    let results = push_records(&server, &volunteer, &[&sheet, &letter, &unnamed]).await;
    assert!(results.iter().all(|r| r["status"] == "stored"), "{results:?}");
    let poster = notice(volunteer_id, 4, 3, Some("poster"));
    let results = push_records(&server, &volunteer, &[&poster]).await;
    assert_eq!(results[0]["status"], "rejected");
    assert!(results[0]["reason"].as_str().unwrap().contains("the campaign names no notice 'poster'"), "{results:?}");

    let (_, _, coverage) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/coverage"), &cookie)).await;
    let floors = &coverage["buildings"][0]["floors"];
    let ids = |floor: usize| floors[floor]["notices"].as_array().unwrap().iter().map(|n| n["notice_id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(0), vec![json!("sheet"), json!("letter")], "{floors}");
    assert_eq!(ids(1), vec![json!("sheet")]);
    assert_eq!(ids(2), Vec::<Value>::new());
    // The campaign still changes with floors' records stored (they name no door).
    let threshold = request("PATCH", &format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/settings"), &cookie, "application/json", r#"{"fever_threshold_c":37.5}"#);
    let (status, _, body) = call(&server, threshold).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_coordinator_adds_notices_but_never_moves_or_drops_one() {
    let server = server().await;
    let cookie = coordinator(&server, &[CAMPAIGN]).await;
    let settings = |body: Value| {
        request("PATCH", &format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/settings"), &cookie, "application/json", body.to_string())
    };
    let label = |text: &str| json!({ "zh-Hans": text, "zh-Hant": text, "en": text, "ko": text });
    let (_, _, bundle) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}"), &cookie)).await;
    let mut notices = bundle["campaign"]["notices"].as_array().unwrap().clone();
    notices.push(json!({ "id": "vaccination", "label": label("Vaccination day") }));
    let (status, _, body) = call(&server, settings(json!({ "notices": notices }))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, _, bundle) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}"), &cookie)).await;
    assert_eq!(bundle["campaign"]["notices"][2]["id"], "vaccination");

    for (change, says) in [
        (json!([notices[1], notices[0], notices[2]]), "notice 'sheet' is missing or moved"),
        (json!([notices[0], notices[1]]), "notice 'vaccination' is missing or moved"),
        (json!([notices[0], notices[1], notices[2], { "id": "flyer", "label": { "en": "Flyer" } }]), "notice 'flyer' has no label in zh-Hans"),
        (json!([notices[0], notices[1], notices[2], { "id": "", "label": label("x") }]), "notice id is empty"),
    ] {
        let (status, _, body) = call(&server, settings(json!({ "notices": change }))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains(says), "{says}: {body}");
    }
    let (_, _, after) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}"), &cookie)).await;
    assert_eq!(after["campaign"]["notices"], bundle["campaign"]["notices"], "nothing changed");
}
