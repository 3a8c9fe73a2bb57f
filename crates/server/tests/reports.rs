//! The daily report: a day's figures from the records pushed for it, the
//! printable page, and the dates and callers refused.

use axum::http::StatusCode;
use serde_json::{json, Value};
use walkbook_core::dates::{date_of_day, LocalTime, DAY_MS};
use walkbook_server::campaigns::now_ms;

mod common;
use common::{call, coordinator, get, invite_volunteer, post, push_records, request, server, text, volunteer_cookie};

const CAMPAIGN: &str = "demo-xingfu";
/// The demo campaign's time zone, UTC+8, in minutes.
const OFFSET: i32 = 480;
const CHEN: &str = "33333333-3333-4333-8333-333333333333";

/// A record made on phone-1 at `at` (ms).
fn record(volunteer_id: &str, seq: u64, door: &str, at: i64, outcome: &str, answers: Value) -> Value {
    json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": CAMPAIGN, "door_id": door, "form_id": "household", "form_version": 2,
        "outcome": { "kind": outcome }, "answers": answers, "volunteer_id": volunteer_id, "device_id": "phone-1",
        "device_seq": seq, "device_time": at
    })
}

fn person(id: &str, name: &str, returned_from: &str, returned_on: &str, quarantine_until: Option<&str>, code: &str) -> Value {
    let mut answers = json!({ "name": name, "relation": "head", "age_band": "18-59", "tenure": "owner", "returned_from": returned_from,
                              "health_code": code });
    if returned_from != "none" {
        answers["returned_on"] = json!(returned_on);
        answers["quarantine_until"] = json!(quarantine_until);
    }
    json!({ "id": id, "answers": answers })
}

#[tokio::test]
async fn a_days_figures_come_from_its_records_in_total_and_by_building() {
    let server = server().await;
    let cookie = coordinator(&server, &[CAMPAIGN]).await;
    let (_, invitation) = invite_volunteer(&server, &cookie, CAMPAIGN, "Xiao Wang").await;
    let volunteer = volunteer_cookie(&server, invitation["code"].as_str().unwrap()).await;
    let volunteer_id = invitation["volunteer_id"].as_str().unwrap();

    // Yesterday, 09:00 in the campaign's time zone, and on.
    let today = LocalTime::at(now_ms(), OFFSET);
    let yesterday = date_of_day(today.day - 1);
    let nine = (today.day - 1) * DAY_MS + 9 * 3_600_000 - i64::from(OFFSET) * 60_000;
    let until = date_of_day(today.day + 3);
    let household = record(
        volunteer_id,
        1,
        "xfl-01-1-101",
        nine,
        "answered",
        json!({ "people": [
            person(CHEN, "Chen", "abroad", &yesterday, Some(&until), "red"),
            person("44444444-4444-4444-8444-444444444444", "Wang", "none", "", None, "green"),
        ] }),
    );
    let not_home = record(volunteer_id, 2, "xfl-01-1-102", nine + 60_000, "not_home", json!({}));
    let wrong_door = record(
        volunteer_id,
        3,
        "xfl-02-1-101",
        nine + 120_000,
        "answered",
        json!({ "people": [person("55555555-5555-4555-8555-555555555555", "Zhao", "province", &yesterday, Some(&until), "green")] }),
    );
    let mut fever = record(volunteer_id, 4, "xfl-01-1-101", nine + 180_000, "answered", json!({}));
    fever["kind"] = json!({ "type": "temperature_check", "person_id": CHEN, "slot": { "date": yesterday, "half": "morning" }, "celsius": 38.5 });
    let results = push_records(&server, &volunteer, &[&household, &not_home, &wrong_door, &fever]).await;
    assert!(results.iter().all(|r| r["status"] == "stored"), "{results:?}");
    // The household at the wrong door is voided: it counts nowhere.
    let void = format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/records/{}/void", wrong_door["id"].as_str().unwrap());
    let voided = request("POST", &void, &cookie, "application/json", r#"{"reason":"wrong door"}"#);
    assert_eq!(call(&server, voided).await.0, StatusCode::OK);

    let daily = |query: &str| format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/reports/daily{query}");
    let (status, _, report) = call(&server, get(&daily(&format!("?date={yesterday}")), &cookie)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let doors = walkbook_core::demo::demo_campaign().doors.len() as u64;
    let expected = json!({
        "households_visited": 2, "people_registered": 2, "returned_province": 0, "returned_abroad": 1, "in_quarantine": 1,
        "checks_done": 1, "checks_missed": 1, "fevers": 1, "red_codes": 1, "needs_open": 0, "needs_done": 0, "coverage_percent": 100 / doors,
    });
    for (name, value) in expected.as_object().unwrap() {
        assert_eq!(&report[name], value, "{name}: {report}");
    }
    assert_eq!((report["date"].as_str(), report["day_over"].as_bool()), (Some(yesterday.as_str()), Some(true)));
    let row = |report: &Value, id: &str| report["buildings"].as_array().unwrap().iter().find(|row| row["building_id"] == id).unwrap().clone();
    assert_eq!(row(&report, "xfl-01")["figures"]["households_visited"], 2);
    assert_eq!(row(&report, "xfl-01")["figures"]["coverage_percent"], 100 / 24);
    assert_eq!(row(&report, "xfl-02")["figures"], json!({
        "households_visited": 0, "people_registered": 0, "returned_province": 0, "returned_abroad": 0, "in_quarantine": 0,
        "checks_done": 0, "checks_missed": 0, "fevers": 0, "red_codes": 0, "visitors": 0, "needs_open": 0, "needs_done": 0, "coverage_percent": 0,
    }));

    // Today (the default day): nothing visited yet, Chen still in quarantine.
    let (status, _, today_report) = call(&server, get(&daily(""), &cookie)).await;
    assert_eq!(status, StatusCode::OK, "{today_report}");
    assert_eq!(today_report["date"], today.date());
    assert_eq!((today_report["day_over"].as_bool(), &today_report["households_visited"], &today_report["in_quarantine"]), (Some(false), &json!(0), &json!(1)));

    // The printable page: the same figures, in the campaign's first language.
    let (status, page) = text(&server, get(&daily(&format!(".html?date={yesterday}")), &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.starts_with("<!DOCTYPE html><html lang=\"zh-Hans\""), "{page}");
    assert!(page.contains(&format!("每日报告 {yesterday}")), "{page}");
    for (name, value) in expected.as_object().unwrap() {
        let unit = if name == "coverage_percent" { " %" } else { "" };
        assert!(page.contains(&format!("<td class=\"figure\" data-figure=\"{name}\">{value}{unit}</td>")), "{name} in {page}");
    }
    assert!(page.contains("<tr data-building=\"xfl-01\"><td class=\"label\">幸福里 1 号楼</td><td class=\"figure\" data-figure=\"households_visited\">2</td>"));
    assert!(!page.contains("Chen"), "no personal data on the page");
}

#[tokio::test]
async fn dates_and_callers_that_cannot_have_a_report_are_refused() {
    let server = server().await;
    let cookie = coordinator(&server, &[CAMPAIGN]).await;
    let tomorrow = date_of_day(LocalTime::at(now_ms(), OFFSET).day + 1);
    for (query, status, says) in [
        ("?date=2026-02-30".to_string(), StatusCode::UNPROCESSABLE_ENTITY, "must be a date YYYY-MM-DD, not '2026-02-30'"),
        ("?date=yesterday".to_string(), StatusCode::UNPROCESSABLE_ENTITY, "must be a date"),
        (format!("?date={tomorrow}"), StatusCode::UNPROCESSABLE_ENTITY, "has not started yet"),
        ("?day=2026-11-30".to_string(), StatusCode::BAD_REQUEST, "day"),
    ] {
        for page in ["daily", "daily.html"] {
            let uri = format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/reports/{page}{query}");
            let (got, _, body) = call(&server, get(&uri, &cookie)).await;
            assert_eq!(got, status, "{uri}: {body}");
            assert!(body["error"]["message"].as_str().unwrap().contains(says), "{uri}: {body}");
        }
    }
    let (status, _, _) = call(&server, get("/api/v1/coordinator/campaigns/other/reports/daily", &cookie)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another coordinator's campaign");
    let (_, invitation) = invite_volunteer(&server, &cookie, CAMPAIGN, "V").await;
    let volunteer = volunteer_cookie(&server, invitation["code"].as_str().unwrap()).await;
    let (status, _, _) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/reports/daily"), &volunteer)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a volunteer's session");
    let (status, _, _) = call(&server, post(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/reports/daily"), Some(&cookie), "")).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}
