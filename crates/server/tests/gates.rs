//! Gate duty: entries of visitors and deliveries pushed from a phone at the
//! gate, refused with why when they cannot be stored, alerts for a fever or
//! a red code at the gate, `visitors.csv`, the daily report's `visitors`,
//! every volunteer's pulls, and gates kept in the territory while they have
//! entries.

use axum::http::StatusCode;
use serde_json::{json, Value};
use walkbook_core::dates::LocalTime;
use walkbook_server::campaigns::{invite, now_ms};

mod common;
use common::{call, coordinator, get, invite_volunteer, post, push_records, request, server, text, volunteer_cookie, Server};

const CAMPAIGN: &str = "demo-xingfu";
const GATE: &str = "north-gate";

fn entry(volunteer_id: &str, seq: u64, fields: Value) -> Value {
    let mut kind = json!({ "type": "visitor", "gate_id": GATE, "name": "Zhou Min", "building_id": "xfl-01", "door_id": "xfl-01-1-101",
        "purpose": "brings groceries", "health_code": "green", "celsius": 36.4 });
    kind.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
    json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": CAMPAIGN, "door_id": "", "form_id": "", "form_version": 0,
        "outcome": { "kind": "answered" }, "volunteer_id": volunteer_id, "device_id": "phone-1", "device_seq": seq,
        "device_time": now_ms() + seq as i64, "kind": kind
    })
}

/// A volunteer assigned to `buildings` (none: the whole campaign): cookie and id.
async fn volunteer(server: &Server, cookie: &str, name: &str, buildings: &[&str]) -> (String, String) {
    if buildings.is_empty() {
        let (_, invitation) = invite_volunteer(server, cookie, CAMPAIGN, name).await;
        return (volunteer_cookie(server, invitation["code"].as_str().unwrap()).await, invitation["volunteer_id"].as_str().unwrap().into());
    }
    let buildings: Vec<String> = buildings.iter().map(|b| b.to_string()).collect();
    let (volunteer_id, code) = invite(&server.db, &server.campaigns, CAMPAIGN, name, &buildings, 60_000).await.unwrap();
    (volunteer_cookie(server, &code).await, volunteer_id)
}

#[tokio::test]
async fn entries_at_the_gate_are_stored_alerted_exported_and_counted() {
    let server = server().await;
    let cookie = coordinator(&server, &[CAMPAIGN]).await;
    // Gate duty is open to a volunteer assigned to one tower only.
    let (at_gate, gate_volunteer) = volunteer(&server, &cookie, "Xiao Wang", &["ht-tower"]).await;
    let visitor = entry(&gate_volunteer, 1, json!({}));
    let feverish = entry(&gate_volunteer, 2, json!({ "name": "Qian", "celsius": 38.2, "turned_back": true }));
    let red = entry(&gate_volunteer, 3, json!({ "name": "Sun", "health_code": "red", "turned_back": true, "building_id": "xfl-02", "door_id": null }));
    let courier = entry(&gate_volunteer, 4, json!({ "name": "SF courier", "delivery": true, "building_id": null, "door_id": null, "celsius": null }));
    let results = push_records(&server, &at_gate, &[&visitor, &feverish, &red, &courier]).await;
    assert!(results.iter().all(|r| r["status"] == "stored"), "{results:?}");

    // Refused with the rule each breaks; nothing of them is stored.
    let refused = [
        (entry(&gate_volunteer, 5, json!({ "celsius": 60.0 })), "60 °C is not a body temperature (30 to 45)"),
        (entry(&gate_volunteer, 6, json!({ "name": " " })), "a visitor's name or initials are required"),
        (entry(&gate_volunteer, 7, json!({ "gate_id": "back-gate" })), "the campaign has no gate 'back-gate'"),
        (entry(&gate_volunteer, 8, json!({ "door_id": "ht-0101" })), "door 'ht-0101' is not in the building the visitor goes to"),
        (entry(&gate_volunteer, 9, json!({ "phone": "=HYPERLINK()" })), "a phone number is digits"),
        (entry(&gate_volunteer, 10, json!({ "building_id": "nowhere", "door_id": null })), "the campaign has no building 'nowhere'"),
    ];
    let mut with_form = entry(&gate_volunteer, 11, json!({}));
    with_form["form_id"] = json!("household");
    with_form["form_version"] = json!(2);
    let mut at_a_door = entry(&gate_volunteer, 12, json!({}));
    at_a_door["door_id"] = json!("xfl-01-1-101");
    let mut extra = entry(&gate_volunteer, 13, json!({}));
    extra["kind"]["vip"] = json!(true);
    for (record, why) in refused.iter().map(|(r, why)| (r, *why)).chain([
        (&with_form, "a gate's record names no form"),
        (&at_a_door, "a gate's record names no door"),
    ]) {
        let result = &push_records(&server, &at_gate, &[record]).await[0];
        assert_eq!(result["status"], "rejected", "{result}");
        assert!(result["reason"].as_str().unwrap().contains(why), "{result} should say {why}");
    }
    let body = json!({ "device_id": "phone-1", "records": [extra] }).to_string();
    let (status, _, answer) = call(&server, post("/api/v1/sync/push", Some(&at_gate), body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown field fails the push: {answer}");

    // A fever and a red code at the gate: alerts naming the gate, and the
    // visitor (from the entry: an alert holds no names).
    let (_, _, alerts) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/alerts"), &cookie)).await;
    let stored: Vec<(&str, &str, &str, bool)> = alerts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] != "overdue")
        .map(|a| (a["kind"].as_str().unwrap(), a["person_name"].as_str().unwrap(), a["detail"].as_str().unwrap(), a["door"].is_null()))
        .collect();
    assert!(stored.contains(&("fever", "Qian", "North gate: 38.2 °C (threshold 37.3 °C), turned back", true)), "{alerts}");
    assert!(stored.contains(&("red_code", "Sun", "North gate: red health code, turned back", true)), "{alerts}");
    assert_eq!(stored.len(), 2, "{alerts}");

    // visitors.csv, oldest first; by building, the courier (going nowhere) is left out.
    let export = |query: &str| request("GET", &format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/exports/visitors.csv{query}"), &cookie, "text/plain", "");
    let (status, csv) = text(&server, export("")).await;
    assert_eq!(status, StatusCode::OK);
    let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        rows[0],
        "entered_at,gate,name,phone,building,door,delivery,purpose,health_code,temperature,fever,turned_back,registered_by,entry_id"
    );
    assert_eq!(rows.len(), 5, "{csv}");
    assert!(rows[1].contains(",北门,Zhou Min,,幸福里 1 号楼,1-1-101,no,brings groceries,green,36.4,no,no,Xiao Wang,"), "{csv}");
    assert!(rows[2].contains(",Qian,") && rows[2].contains(",38.2,yes,yes,"), "{csv}");
    assert!(rows[4].contains(",SF courier,,,,yes,brings groceries,green,,no,no,"), "{csv}");
    let (_, by_building) = text(&server, export("?building=xfl-01")).await;
    assert_eq!(by_building.lines().count(), 3, "{by_building}");

    // The daily report counts them: by building where they went.
    let today = LocalTime::at(now_ms(), 480).date();
    let (_, _, report) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/reports/daily?date={today}"), &cookie)).await;
    assert_eq!(report["visitors"], 4, "{report}");
    let row = |id: &str| report["buildings"].as_array().unwrap().iter().find(|b| b["building_id"] == id).unwrap()["figures"]["visitors"].clone();
    assert_eq!((row("xfl-01"), row("xfl-02"), row("ht-tower")), (json!(2), json!(1), json!(0)));

    // Every phone pulls the gates' entries, assigned or not (any volunteer
    // may stand at the gate); an assigned one no other building's records.
    let (elsewhere, _) = volunteer(&server, &cookie, "Xiao Li", &["xfl-02"]).await;
    let (_, _, pulled) = call(&server, get("/api/v1/sync/pull?cursor=0&device_id=phone-2", &elsewhere)).await;
    assert_eq!(pulled["records"].as_array().unwrap().len(), 4, "{pulled}");

    // A coordinator voids an entry typed twice: it leaves the export.
    let void = request(
        "POST",
        &format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/records/{}/void", visitor["id"].as_str().unwrap()),
        &cookie,
        "application/json",
        r#"{"reason":"typed twice"}"#,
    );
    let (status, _, voided) = call(&server, void).await;
    assert_eq!(status, StatusCode::OK, "{voided}");
    assert_eq!(voided["kind"], json!({ "type": "void", "building_id": GATE, "floor": 0 }));
    let (_, csv) = text(&server, export("")).await;
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(!csv.contains("Zhou Min"), "{csv}");
}

#[tokio::test]
async fn a_gate_with_entries_stays_in_the_territory() {
    let server = server().await;
    let cookie = coordinator(&server, &[CAMPAIGN]).await;
    let (at_gate, volunteer_id) = volunteer(&server, &cookie, "Xiao Wang", &[]).await;
    let territory = |csv: String| request("PUT", &format!("/api/v1/coordinator/campaigns/{CAMPAIGN}/territory"), &cookie, "text/csv", csv);
    let blocks = "building,entrance,floor,door,kind\nBlock 9,,1,101,\nBlock 9,,1,102,\n";

    // Gates from the file, with ids that stay the same import after import.
    let (status, body) = text(&server, territory(format!("{blocks}East Gate,,,,gate\nWest Gate,,,,gate\n"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, _, bundle) = call(&server, get(&format!("/api/v1/coordinator/campaigns/{CAMPAIGN}"), &cookie)).await;
    let gates: Vec<Value> = bundle["campaign"]["gates"].as_array().unwrap().clone();
    assert_eq!(gates.len(), 2, "{bundle}");
    assert_eq!(gates[0]["name"]["en"], "East Gate");
    let east = gates[0]["id"].as_str().unwrap().to_string();

    let mut at_east = entry(&volunteer_id, 1, json!({ "gate_id": east, "building_id": null, "door_id": null }));
    at_east["device_time"] = json!(now_ms());
    assert_eq!(push_records(&server, &at_gate, &[&at_east]).await[0]["status"], "stored");

    // A file without the East Gate is refused while it has an entry; one
    // keeping it (and dropping the West Gate) is fine.
    let (status, body) = text(&server, territory(format!("{blocks}West Gate,,,,gate\n"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(&format!("gate '{east}' has 1 visitors' records: keep it in the territory")), "{body}");
    let (status, body) = text(&server, territory(format!("{blocks}East Gate,,,,gate\n"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = text(&server, territory(format!("{blocks}East Gate,,1,,gate\n"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("line 4, column floor: a gate has no entrance, floor or door"), "{body}");
}
