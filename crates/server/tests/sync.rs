//! The sync endpoints against a real SQLite file: join, push, pull, bad input,
//! and campaign isolation.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;
use walkbook_core::demo::demo_campaign;
use walkbook_core::record::{Outcome, Record, RecordKind};

mod common;
use common::{call, get, post, server, Server};
use walkbook_server::campaigns::{invite, store_campaign};

/// Joins `campaign` as a new volunteer on phone `phone-1`, whose records
/// made before joining name volunteer `v`; returns the cookie to send.
async fn join(server: &Server, campaign: &str) -> String {
    join_as(server, campaign, "phone-1").await
}

async fn join_as(server: &Server, campaign: &str, device: &str) -> String {
    let (_, code) = invite(&server.db, &server.campaigns, campaign, "Test volunteer", &[], 60_000).await.unwrap();
    let request = json!({ "code": code, "device_id": device, "local_volunteer_id": "v" });
    let (status, cookie, body) = call(server, post("/api/v1/join", None, request.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["bundle"]["campaign"]["id"], campaign);
    let cookie = cookie.expect("a session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    cookie.split(';').next().unwrap().to_string()
}

fn record(campaign: &str, door: &str, seq: u64) -> Record {
    Record {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: campaign.into(),
        door_id: door.into(),
        form_id: "household".into(),
        form_version: 1,
        outcome: Outcome::NotHome,
        answers: Default::default(),
        volunteer_id: "v".into(),
        device_id: "phone-1".into(),
        device_seq: seq,
        device_time: 1_795_824_000_000,
        supersedes: None,
        reason: None,
        kind: Default::default(),
    }
}

fn push_body(records: &[Record]) -> String {
    json!({ "device_id": "phone-1", "records": records }).to_string()
}

async fn stored_count(server: &Server) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM records").fetch_one(&server.db).await.unwrap()
}

#[tokio::test]
async fn push_stores_once_and_a_replay_changes_nothing() {
    let server = server().await;
    let cookie = join(&server, "demo-xingfu").await;
    let records = vec![record("demo-xingfu", "xfl-01-1-101", 1), record("demo-xingfu", "ht-1201", 2)];
    let (status, _, body) = call(&server, post("/api/v1/sync/push", Some(&cookie), push_body(&records))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["status"], "stored");
    assert_eq!(body["results"][1]["status"], "stored");

    let (_, _, replay) = call(&server, post("/api/v1/sync/push", Some(&cookie), push_body(&records))).await;
    assert_eq!(replay["results"][0]["status"], "duplicate");
    assert_eq!(replay["results"][1]["status"], "duplicate");
    assert_eq!(stored_count(&server).await, 2);

    // The same record twice in one batch is stored once.
    let twice = record("demo-xingfu", "hp-04", 3);
    let (_, _, body) = call(&server, post("/api/v1/sync/push", Some(&cookie), push_body(&[twice.clone(), twice]))).await;
    assert_eq!(body["results"][0]["status"], "stored");
    assert_eq!(body["results"][1]["status"], "duplicate");
    assert_eq!(stored_count(&server).await, 3);

    let mut changed = records[0].clone();
    changed.outcome = Outcome::Refused;
    let (_, _, conflict) = call(&server, post("/api/v1/sync/push", Some(&cookie), push_body(&[changed]))).await;
    assert_eq!(conflict["results"][0]["status"], "conflict");
    assert_eq!(stored_count(&server).await, 3);

    let (status, _, pulled) = call(&server, get("/api/v1/sync/pull?cursor=0", &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(pulled["records"].as_array().unwrap().len(), 3);
    assert_eq!(pulled["records"][0]["outcome"]["kind"], "not_home", "the first version stays");
    let cursor = pulled["cursor"].as_i64().unwrap();
    // The pushing device itself is not sent its own records, but moves past them.
    let (_, _, own) = call(&server, get("/api/v1/sync/pull?cursor=0&device_id=phone-1", &cookie)).await;
    assert_eq!(own["records"].as_array().unwrap().len(), 0);
    assert_eq!(own["cursor"].as_i64().unwrap(), cursor);
    let (_, _, rest) = call(&server, get(&format!("/api/v1/sync/pull?cursor={cursor}"), &cookie)).await;
    assert_eq!(rest["records"].as_array().unwrap().len(), 0);
    assert_eq!(rest["more"], false);
}

#[tokio::test]
async fn a_devices_own_records_do_not_fill_its_pull_pages() {
    let server = server().await;
    let cookie = join(&server, "demo-xingfu").await;
    let own: Vec<Record> = (1..=1200).map(|seq| record("demo-xingfu", "ht-1201", seq)).collect();
    for batch in own.chunks(400) {
        let (status, _, body) = call(&server, post("/api/v1/sync/push", Some(&cookie), push_body(batch))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let others: Vec<Record> = (1..=2).map(|seq| Record { device_id: "phone-2".into(), ..record("demo-xingfu", "hp-04", seq) }).collect();
    let body = json!({ "device_id": "phone-2", "records": others }).to_string();
    let second_phone = join_as(&server, "demo-xingfu", "phone-2").await;
    let (_, _, pushed) = call(&server, post("/api/v1/sync/push", Some(&second_phone), body)).await;
    assert!(pushed["results"].as_array().unwrap().iter().all(|r| r["status"] == "stored"), "{pushed}");

    // After a large push, one pull passes the phone's own records.
    let (_, _, pulled) = call(&server, get("/api/v1/sync/pull?cursor=0&device_id=phone-1", &cookie)).await;
    let ids: Vec<&str> = pulled["records"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [others[0].id.as_str(), others[1].id.as_str()]);
    assert_eq!(pulled["more"], false);
    assert_eq!(pulled["cursor"].as_i64().unwrap(), 1202);

    // Another phone pages through all of them, each once.
    let (mut cursor, mut seen) = (0, Vec::new());
    loop {
        let (_, _, page) = call(&server, get(&format!("/api/v1/sync/pull?cursor={cursor}&limit=500&device_id=phone-3"), &cookie)).await;
        seen.extend(page["records"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()));
        cursor = page["cursor"].as_i64().unwrap();
        if page["more"] == false {
            break;
        }
    }
    let expected: Vec<String> = own.iter().chain(&others).map(|r| r.id.clone()).collect();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn invalid_records_are_rejected_with_reasons_and_not_stored() {
    let server = server().await;
    let cookie = join(&server, "demo-xingfu").await;
    let mut unknown_door = record("demo-xingfu", "nowhere", 1);
    unknown_door.door_id = "nowhere".into();
    let mut bad_form = record("demo-xingfu", "hp-01", 2);
    bad_form.form_version = 9;
    let mut bad_answers = record("demo-xingfu", "hp-02", 3);
    bad_answers.outcome = Outcome::Answered;
    let mut not_uuid = record("demo-xingfu", "hp-03", 4);
    not_uuid.id = "42".into();
    let (_, _, body) =
        call(&server, post("/api/v1/sync/push", Some(&cookie), push_body(&[unknown_door, bad_form, bad_answers, not_uuid]))).await;
    let reasons: Vec<&str> = body["results"].as_array().unwrap().iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert!(body["results"].as_array().unwrap().iter().all(|r| r["status"] == "rejected"), "{body}");
    assert!(reasons[0].contains("no door 'nowhere'"), "{reasons:?}");
    assert!(reasons[1].contains("version 9"), "{reasons:?}");
    assert!(reasons[2].contains("household_size") && reasons[2].contains("Required"), "{reasons:?}");
    assert!(reasons[3].contains("not a lowercase UUID"), "{reasons:?}");
    assert_eq!(stored_count(&server).await, 0);
}

#[tokio::test]
async fn pull_carries_a_changed_campaign_and_push_validates_against_it() {
    let server = server().await;
    let cookie = join(&server, "demo-xingfu").await;
    let (_, _, first) = call(&server, get("/api/v1/sync/pull?cursor=0&campaign_revision=0", &cookie)).await;
    assert_eq!(first["campaign"]["campaign"]["revision"], 1, "a phone with no revision gets the campaign");
    let (_, _, current) = call(&server, get("/api/v1/sync/pull?cursor=0&campaign_revision=1", &cookie)).await;
    assert!(current.get("campaign").is_none(), "an up-to-date phone does not: {current}");

    // A record for a door the territory does not have yet is rejected...
    let mut next = demo_campaign();
    let mut new_door = next.doors[0].clone();
    new_door.id = "xfl-01-1-103".into();
    new_door.label = "1-103".into();
    next.doors.push(new_door);
    let early = record("demo-xingfu", "xfl-01-1-103", 1);
    let (_, _, body) = call(&server, post("/api/v1/sync/push", Some(&cookie), push_body(&[early]))).await;
    assert_eq!(body["results"][0]["status"], "rejected");
    // ...and accepted once the campaign has it.
    assert_eq!(store_campaign(&server.db, &next).await.unwrap(), 2);
    let (_, _, changed) = call(&server, get("/api/v1/sync/pull?cursor=0&campaign_revision=1", &cookie)).await;
    assert_eq!(changed["campaign"]["campaign"]["revision"], 2);
    assert!(changed["campaign"]["doors"].as_array().unwrap().iter().any(|d| d["id"] == "xfl-01-1-103"));
    let (_, _, body) =
        call(&server, post("/api/v1/sync/push", Some(&cookie), push_body(&[record("demo-xingfu", "xfl-01-1-103", 2)]))).await;
    assert_eq!(body["results"][0]["status"], "stored", "{body}");

    // A door with records cannot leave the territory, nor a form version change.
    let mut shrunk = next.clone();
    shrunk.doors.retain(|d| d.id != "xfl-01-1-103");
    shrunk.campaign.forms[0].questions.pop();
    let error = store_campaign(&server.db, &shrunk).await.unwrap_err().to_string();
    assert!(error.contains("door 'xfl-01-1-103' has 1 records"), "{error}");
    assert!(error.contains("was changed"), "{error}");
    let (_, _, unchanged) = call(&server, get("/api/v1/sync/pull?cursor=0&campaign_revision=2", &cookie)).await;
    assert!(unchanged.get("campaign").is_none(), "a refused update changes nothing");
}

fn roster_record(door: &str, seq: u64, people: &[(&str, &str, &str)]) -> Record {
    use walkbook_core::form::{Answer, Entry};
    let entries = people
        .iter()
        .map(|(id, name, code)| Entry {
            id: id.to_string(),
            answers: [
                ("name", *name),
                ("relation", "head"),
                ("age_band", "18-59"),
                ("tenure", "owner"),
                ("returned_from", "none"),
                ("health_code", *code),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), Answer::Text(v.to_string())))
            .collect(),
        })
        .collect();
    Record {
        form_version: 2,
        outcome: Outcome::Answered,
        answers: [("people".to_string(), Answer::Group(entries))].into(),
        ..record("demo-xingfu", door, seq)
    }
}

fn check_record(door: &str, seq: u64, person: &str, celsius: f64) -> Record {
    use walkbook_core::people::{Half, Slot};
    Record {
        outcome: Outcome::Answered,
        kind: RecordKind::TemperatureCheck {
            person_id: person.into(),
            slot: Slot { date: "2026-11-28".into(), half: Half::Morning },
            celsius,
        },
        ..record("demo-xingfu", door, seq)
    }
}

async fn alert_kinds(server: &Server) -> Vec<(String, String)> {
    walkbook_server::alerts::list(&server.db, "demo-xingfu").await.unwrap().into_iter().map(|alert| (alert.kind, alert.person_id)).collect()
}

#[tokio::test]
async fn fever_readings_and_red_codes_raise_one_alert_each() {
    let server = server().await;
    let cookie = join(&server, "demo-xingfu").await;
    let door = "xfl-03-1-201";
    let notice = Record {
        door_id: String::new(),
        kind: RecordKind::FloorNotice { building_id: "xfl-03".into(), floor: 2, notice_id: String::new() },
        ..record("demo-xingfu", "", 5)
    };
    let batch = vec![
        roster_record(door, 1, &[("p-wang", "Wang", "green"), ("p-li", "Li", "red")]),
        check_record(door, 2, "p-wang", 36.6),
        check_record(door, 3, "p-wang", 37.3),
        notice,
    ];
    let (_, _, body) = call(&server, post("/api/v1/sync/push", Some(&cookie), push_body(&batch))).await;
    let statuses: Vec<&str> = body["results"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, vec!["stored"; 4], "{body}");
    let expected = vec![("fever".to_string(), "p-wang".to_string()), ("red_code".to_string(), "p-li".to_string())];
    let mut kinds = alert_kinds(&server).await;
    kinds.sort();
    assert_eq!(kinds, expected);
    // A replay stores nothing and raises nothing.
    call(&server, post("/api/v1/sync/push", Some(&cookie), push_body(&batch))).await;
    assert_eq!(alert_kinds(&server).await.len(), 2);

    // Readings that are not temperatures, and notices of floors that do not exist, are refused.
    let mut wrong_floor = batch[3].clone();
    wrong_floor.id = uuid::Uuid::new_v4().to_string();
    wrong_floor.kind = RecordKind::FloorNotice { building_id: "xfl-03".into(), floor: 9, notice_id: String::new() };
    let (_, _, body) =
        call(&server, post("/api/v1/sync/push", Some(&cookie), push_body(&[check_record(door, 6, "p-wang", 3.7), wrong_floor]))).await;
    assert!(body["results"][0]["reason"].as_str().unwrap().contains("not a body temperature"), "{body}");
    assert!(body["results"][1]["reason"].as_str().unwrap().contains("no floor 9"), "{body}");
    assert_eq!(stored_count(&server).await, 4);
}

#[tokio::test]
async fn a_volunteer_assigned_to_buildings_pulls_only_their_records() {
    let server = server().await;
    let everywhere = join(&server, "demo-xingfu").await;
    let records = vec![roster_record("xfl-01-1-101", 1, &[("p1", "Wang", "green")]), roster_record("ht-0101", 2, &[("p2", "Li", "green")])];
    call(&server, post("/api/v1/sync/push", Some(&everywhere), push_body(&records))).await;
    let buildings = vec!["ht-tower".to_string()];
    let (_, code) = invite(&server.db, &server.campaigns, "demo-xingfu", "Tower only", &buildings, 60_000).await.unwrap();
    let (_, cookie, joined) = call(&server, post("/api/v1/join", None, json!({ "code": code }).to_string())).await;
    assert_eq!(joined["assigned_buildings"], json!(["ht-tower"]), "the phone is told its buildings when it joins");
    let tower_only = cookie.unwrap().split(';').next().unwrap().to_string();
    let (_, _, pulled) = call(&server, get("/api/v1/sync/pull?cursor=0", &tower_only)).await;
    let doors: Vec<&str> = pulled["records"].as_array().unwrap().iter().map(|r| r["door_id"].as_str().unwrap()).collect();
    assert_eq!(doors, vec!["ht-0101"]);
    assert_eq!(pulled["assigned_buildings"], json!(["ht-tower"]), "and with every pull");
    let (_, _, all) = call(&server, get("/api/v1/sync/pull?cursor=0", &everywhere)).await;
    assert_eq!(all["records"].as_array().unwrap().len(), 2, "no assignment: the whole campaign");
    assert!(all.get("assigned_buildings").is_none(), "no assignment: no list");
    let unknown = vec!["nowhere".to_string()];
    assert!(invite(&server.db, &server.campaigns, "demo-xingfu", "X", &unknown, 60_000).await.is_err());
}

#[tokio::test]
async fn bad_requests_get_4xx_in_the_error_shape_and_store_nothing() {
    let server = server().await;
    let cookie = join(&server, "demo-xingfu").await;
    let one = push_body(&[record("demo-xingfu", "hp-01", 1)]);
    let too_many: Vec<Record> = (0..501).map(|i| record("demo-xingfu", "hp-01", i)).collect();
    let huge = json!({ "device_id": "phone-1", "records": [], "pad": "x".repeat(1_100_000) }).to_string();
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (post("/api/v1/sync/push", None, one.clone()), StatusCode::UNAUTHORIZED, "no_session"),
        (post("/api/v1/sync/push", Some("walkbook_session=forged"), one.clone()), StatusCode::UNAUTHORIZED, "invalid_session"),
        (post("/api/v1/sync/push", Some(&cookie), "{not json"), StatusCode::BAD_REQUEST, "invalid_json"),
        (
            post("/api/v1/sync/push", Some(&cookie), r#"{"device_id":"p","records":[],"x":1}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_json",
        ),
        (post("/api/v1/sync/push", Some(&cookie), r#"{"device_id":5,"records":[]}"#), StatusCode::UNPROCESSABLE_ENTITY, "invalid_json"),
        (post("/api/v1/sync/push", Some(&cookie), push_body(&too_many)), StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        (post("/api/v1/sync/push", Some(&cookie), huge), StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        (post("/api/v1/join", None, r#"{"code":"NOPE"}"#), StatusCode::UNAUTHORIZED, "join_code_unusable"),
        (post("/api/v1/join", None, r#"{"code":"NOPE","extra":1}"#), StatusCode::UNPROCESSABLE_ENTITY, "invalid_json"),
        (get("/api/v1/sync/pull?cursor=abc", &cookie), StatusCode::BAD_REQUEST, "invalid_query"),
    ];
    for (request, status, code) in cases {
        let what = format!("{} {}", request.method(), request.uri());
        let (got, _, body) = call(&server, request).await;
        assert_eq!(got, status, "{what}: {body}");
        assert_eq!(body["error"]["code"], code, "{what}: {body}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty(), "{what}");
    }
    assert_eq!(stored_count(&server).await, 0);
}

#[tokio::test]
async fn join_codes_are_single_use_expire_and_are_kept_hashed() {
    let server = server().await;
    let (_, code) = invite(&server.db, &server.campaigns, "demo-xingfu", "A", &[], 60_000).await.unwrap();
    let stored: Vec<(String,)> = sqlx::query_as("SELECT code FROM join_codes").fetch_all(&server.db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].0, code, "the database keeps a hash, not the code");
    assert_eq!(stored[0].0.len(), 64);
    let body = json!({ "code": format!(" {} ", code.to_lowercase()) }).to_string();
    let (status, _, _) = call(&server, post("/api/v1/join", None, body.clone())).await;
    assert_eq!(status, StatusCode::OK, "codes are read case-insensitively, spaces around ignored");
    // Used, expired and unknown codes get one answer: codes cannot be probed.
    let (_, expired_code) = invite(&server.db, &server.campaigns, "demo-xingfu", "B", &[], -1).await.unwrap();
    let mut answers = Vec::new();
    for body in [body, json!({ "code": expired_code }).to_string(), json!({ "code": "ABCDEFGHJK" }).to_string()] {
        let (status, cookie, answer) = call(&server, post("/api/v1/join", None, body)).await;
        assert!(cookie.is_none());
        answers.push((status, answer));
    }
    assert_eq!(answers[0].0, StatusCode::UNAUTHORIZED);
    assert_eq!(answers[0].1["error"]["code"], "join_code_unusable");
    assert!(answers.iter().all(|answer| *answer == answers[0]), "{answers:?}");
}

#[tokio::test]
async fn a_volunteer_can_neither_read_nor_write_another_campaign() {
    let server = server().await;
    let demo = join(&server, "demo-xingfu").await;
    let other = join(&server, "other").await;
    let (_, _, body) = call(&server, post("/api/v1/sync/push", Some(&demo), push_body(&[record("demo-xingfu", "hp-01", 1)]))).await;
    assert_eq!(body["results"][0]["status"], "stored");

    // Writing: a record naming the other campaign is rejected.
    let (_, _, body) = call(&server, post("/api/v1/sync/push", Some(&other), push_body(&[record("demo-xingfu", "hp-02", 1)]))).await;
    assert_eq!(body["results"][0]["status"], "rejected");
    assert!(body["results"][0]["reason"].as_str().unwrap().contains("not to yours"));
    // Reading: the other campaign's pull does not see demo's record.
    let (_, _, pulled) = call(&server, get("/api/v1/sync/pull?cursor=0", &other)).await;
    assert_eq!(pulled["records"].as_array().unwrap().len(), 0);
    let (_, _, pulled) = call(&server, get("/api/v1/sync/pull?cursor=0", &demo)).await;
    assert_eq!(pulled["records"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_openapi_document_describes_exactly_the_endpoints() {
    let server = server().await;
    let (status, _, document) = call(&server, Request::get("/api/v1/openapi.json").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    let documented: std::collections::BTreeSet<String> = document["paths"].as_object().unwrap().keys().cloned().collect();
    let routed: std::collections::BTreeSet<String> = walkbook_server::api_routes().into_iter().map(|(path, _)| path.to_string()).collect();
    assert_eq!(documented, routed, "every endpoint is documented, and nothing else");
    // Every documented operation exists: it never gets the unknown-endpoint 404.
    for (path, operations) in document["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            let request = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(path)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap();
            let (status, _, body) = call(&server, request).await;
            let unknown =
                status == StatusCode::NOT_FOUND && body["error"]["message"].as_str().is_some_and(|m| m.starts_with("No such endpoint"));
            assert!(!unknown && status != StatusCode::METHOD_NOT_ALLOWED, "{method} {path}: {status} {body}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushes_all_commit() {
    let server = Arc::new(server().await);
    let cookie = join(&server, "demo-xingfu").await;
    let tasks: Vec<_> = (0..8)
        .map(|batch| {
            let (server, cookie) = (server.clone(), cookie.clone());
            tokio::spawn(async move {
                let records: Vec<Record> = (0..50).map(|i| record("demo-xingfu", "hp-01", batch * 50 + i)).collect();
                call(&server, post("/api/v1/sync/push", Some(&cookie), push_body(&records))).await
            })
        })
        .collect();
    for task in tasks {
        let (status, _, body) = task.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    assert_eq!(stored_count(&server).await, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_pushes_of_the_same_ids_store_each_once() {
    let server = Arc::new(server().await);
    let cookie = join(&server, "demo-xingfu").await;
    let shared = record("demo-xingfu", "hp-02", 1000);
    let contested_id = uuid::Uuid::new_v4().to_string();
    let tasks: Vec<_> = (0..8u64)
        .map(|batch| {
            let (server, cookie, shared, contested_id) = (server.clone(), cookie.clone(), shared.clone(), contested_id.clone());
            tokio::spawn(async move {
                // Its own records, one record every batch carries unchanged,
                // and one id every batch uses for a different record.
                let mut records: Vec<Record> = (0..20).map(|i| record("demo-xingfu", "hp-01", batch * 20 + i)).collect();
                records.push(shared);
                records.push(Record { id: contested_id, device_seq: 2000 + batch, ..record("demo-xingfu", "hp-03", 0) });
                let (status, _, body) = call(&server, post("/api/v1/sync/push", Some(&cookie), push_body(&records))).await;
                (status, records, body)
            })
        })
        .collect();
    let mut statuses = HashMap::<String, Vec<String>>::new();
    for task in tasks {
        let (status, records, body) = task.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
        let results = body["results"].as_array().unwrap();
        let answered: Vec<&str> = results.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(
            answered,
            records.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            "each push is answered for its own records, in order"
        );
        assert!(results[..20].iter().all(|r| r["status"] == "stored"));
        statuses.entry("shared".into()).or_default().push(results[20]["status"].as_str().unwrap().into());
        statuses.entry("contested".into()).or_default().push(results[21]["status"].as_str().unwrap().into());
    }
    let count = |key: &str, status: &str| statuses[key].iter().filter(|s| *s == status).count();
    assert_eq!((count("shared", "stored"), count("shared", "duplicate")), (1, 7));
    assert_eq!((count("contested", "stored"), count("contested", "conflict")), (1, 7));
    assert_eq!(stored_count(&server).await, 8 * 20 + 2);
}

/// Pushes `records` from `phone` with `cookie`; each record's status and reason.
async fn push_from(server: &Server, cookie: &str, phone: &str, records: &[Record]) -> Vec<(String, String)> {
    let body = json!({ "device_id": phone, "records": records }).to_string();
    let (status, _, answer) = call(server, post("/api/v1/sync/push", Some(cookie), body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["status"].as_str().unwrap().to_string(), r["reason"].as_str().unwrap_or_default().to_string()))
        .collect()
}

#[tokio::test]
async fn a_record_is_authorised_by_what_it_says_not_only_by_its_campaign() {
    let server = server().await;
    let cookie = join(&server, "demo-xingfu").await;
    let (_, _, me) = call(&server, get("/api/v1/sync/pull?cursor=0", &cookie)).await;
    assert!(me["records"].is_array());
    let volunteer_id: String = sqlx::query_scalar("SELECT volunteer_id FROM sessions").fetch_one(&server.db).await.unwrap();
    let now = walkbook_server::campaigns::now_ms();
    let at = |door: &str, seq: u64| Record { device_time: now, ..record("demo-xingfu", door, seq) };

    let own = at("hp-01", 1); // named `v`: the phone's identity before it joined
    let signed_in = Record { volunteer_id: volunteer_id.clone(), ..at("hp-02", 2) };
    let someone_else = Record { volunteer_id: "vol-someone".into(), ..at("hp-03", 3) };
    let other_phone = Record { device_id: "phone-9".into(), ..at("hp-04", 4) };
    let tomorrow_and_more = Record { device_time: now + 25 * 3_600_000, ..at("hp-05", 5) };
    let year_2100 = Record { device_time: 4_102_444_800_000, ..at("hp-06", 6) };
    let shouting_id = Record { id: own.id.to_uppercase(), ..at("hp-01", 7) };
    let urn_id = Record { id: format!("urn:uuid:{}", own.id), ..at("hp-01", 8) };
    let results = push_from(
        &server,
        &cookie,
        "phone-1",
        &[own.clone(), signed_in, someone_else, other_phone, tomorrow_and_more, year_2100, shouting_id, urn_id],
    )
    .await;
    let statuses: Vec<&str> = results.iter().map(|(status, _)| status.as_str()).collect();
    assert_eq!(statuses, ["stored", "stored", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected"], "{results:?}");
    assert!(results[2].1.contains("names volunteer 'vol-someone'"), "{results:?}");
    assert!(results[3].1.contains("another phone"), "{results:?}");
    assert!(results[4].1.contains("check the phone's date"), "{results:?}");
    assert!(results[5].1.contains("2100-01-01"), "{results:?}");
    assert!(results[6].1.contains("not a lowercase UUID"), "{results:?}");

    // The session is bound to its phone: a push naming another device is refused record by record.
    let results = push_from(&server, &cookie, "phone-9", &[Record { device_id: "phone-9".into(), ..at("hp-04", 9) }]).await;
    assert_eq!(results[0].0, "rejected", "{results:?}");

    // An edit replaces a record of its own door only.
    let hide_household = Record { supersedes: Some(own.id.clone()), ..at("hp-02", 10) };
    let fix_own = Record { supersedes: Some(own.id.clone()), ..at("hp-01", 11) };
    let results = push_from(&server, &cookie, "phone-1", &[hide_household, fix_own]).await;
    assert_eq!(results[0].0, "rejected");
    assert!(results[0].1.contains("replaces a record of door 'hp-01', not of door 'hp-02'"), "{results:?}");
    assert_eq!(results[1].0, "stored", "{results:?}");
    assert_eq!(stored_count(&server).await, 3);
}

/// The door statuses the server keeps as records arrive are the ones the
/// door-status rule gives over all of each door's records, whatever the
/// order of arrival: edits, edits that arrive before what they replace, ties
/// on time, two phones, batches of any size. Rebuilt from scratch (as for a
/// database from before the table), they are the same.
#[tokio::test]
async fn kept_door_statuses_are_the_rule_over_all_records() {
    let server = server().await;
    let phones = [join_as(&server, "demo-xingfu", "phone-1").await, join_as(&server, "demo-xingfu", "phone-2").await];
    let doors = ["ht-0101", "ht-0102", "ht-0103", "ht-0104", "ht-0105"];
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let mut made: Vec<(usize, Record)> = Vec::new();
    let mut seq = [0u64; 2];
    for _ in 0..80 {
        let phone = next(2) as usize;
        seq[phone] += 1;
        let door = doors[next(doors.len() as u64) as usize];
        let mut record = record("demo-xingfu", door, seq[phone]);
        record.device_id = format!("phone-{}", phone + 1);
        record.device_time += 60_000 * next(3) as i64;
        record.outcome =
            [Outcome::NotHome, Outcome::Vacant, Outcome::Refused, Outcome::ComeBack { at: 1_795_900_000_000 }][next(4) as usize].clone();
        let same_door: Vec<&Record> = made.iter().map(|(_, r)| r).filter(|r| r.door_id == door).collect();
        if !same_door.is_empty() && next(3) == 0 {
            record.supersedes = Some(same_door[next(same_door.len() as u64) as usize].id.clone());
        }
        made.push((phone, record));
    }
    // Arrival in another order than making: some edits come before what they replace.
    for i in (1..made.len()).rev() {
        made.swap(i, next(i as u64 + 1) as usize);
    }
    let mut rest = made.as_slice();
    while !rest.is_empty() {
        let phone = rest[0].0;
        let size = rest.iter().take(1 + next(7) as usize).take_while(|(p, _)| *p == phone).count();
        let batch: Vec<Record> = rest[..size].iter().map(|(_, r)| r.clone()).collect();
        let body = json!({ "device_id": format!("phone-{}", phone + 1), "records": batch }).to_string();
        let (status, _, answer) = call(&server, post("/api/v1/sync/push", Some(&phones[phone]), body)).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert!(answer["results"].as_array().unwrap().iter().all(|r| r["status"] == "stored"), "{answer}");
        rest = &rest[size..];
    }
    let by_the_rule = || async {
        let bodies: Vec<(String,)> = sqlx::query_as("SELECT body FROM records").fetch_all(&server.db).await.unwrap();
        let records: Vec<Record> = bodies.iter().map(|(body,)| serde_json::from_str(body).unwrap()).collect();
        let mut expected: HashMap<String, String> = HashMap::new();
        for door in doors {
            if let Some(latest) = walkbook_core::record::latest_record(records.iter().filter(|r| r.door_id == door)) {
                expected.insert(door.to_string(), latest.id.clone());
            }
        }
        expected
    };
    let kept = || async {
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT door_id, record_id FROM door_status").fetch_all(&server.db).await.unwrap();
        rows.into_iter().collect::<HashMap<String, String>>()
    };
    // Coverage counted by the database (from the landing counts kept with
    // the statuses) is coverage by the rule over every record.
    let index = server.campaigns.get(&server.db, "demo-xingfu").await.unwrap();
    let coverage_is_the_rule = |when: &'static str| {
        let (server, index) = (&server, index.clone());
        async move {
            let bodies: Vec<(String,)> = sqlx::query_as("SELECT body FROM records").fetch_all(&server.db).await.unwrap();
            let records: Vec<Record> = bodies.iter().map(|(body,)| serde_json::from_str(body).unwrap()).collect();
            let (total, buildings, never, revisits) = walkbook_core::console::coverage_report(&index.bundle, &records);
            let ((kept_total, kept_buildings, kept_never, kept_revisits), never_total, revisits_total) =
                walkbook_server::door_status::coverage(&server.db, &index, &[]).await.unwrap();
            assert_eq!((kept_total, kept_buildings), (total, buildings), "{when}");
            assert_eq!((never_total as usize, revisits_total as usize), (never.len(), revisits.len()), "{when}");
            assert_eq!(kept_never[..], never[..kept_never.len()], "{when}: the first doors never visited, in the page's order");
            let ids = |list: &[walkbook_core::console::RevisitDue]| {
                list.iter().map(|r| r.door.id.clone()).collect::<std::collections::BTreeSet<_>>()
            };
            assert_eq!(ids(&kept_revisits), ids(&revisits), "{when}");
        }
    };
    let expected = by_the_rule().await;
    assert_eq!(expected.len(), doors.len());
    assert_eq!(kept().await, expected, "kept as records arrived");
    coverage_is_the_rule("kept as records arrived").await;
    sqlx::query("DELETE FROM door_status").execute(&server.db).await.unwrap();
    walkbook_server::door_status::fill(&server.db).await.unwrap();
    assert_eq!(kept().await, expected, "rebuilt from the records");
    coverage_is_the_rule("rebuilt from the records").await;
}

/// Records stored before records had a building column get theirs when the
/// database is opened; a floor record gets its own building.
#[tokio::test]
async fn records_from_before_the_building_column_get_their_building() {
    let server = server().await;
    let cookie = join(&server, "demo-xingfu").await;
    let notice = Record {
        door_id: String::new(),
        kind: RecordKind::FloorNotice { building_id: "ht-tower".into(), floor: 3, notice_id: String::new() },
        ..record("demo-xingfu", "", 2)
    };
    call(&server, post("/api/v1/sync/push", Some(&cookie), push_body(&[record("demo-xingfu", "xfl-01-1-101", 1), notice]))).await;
    let buildings = || sqlx::query_scalar::<_, Option<String>>("SELECT building_id FROM records ORDER BY seq").fetch_all(&server.db);
    assert_eq!(buildings().await.unwrap(), [Some("xfl-01".to_string()), Some("ht-tower".to_string())], "stored with it");
    sqlx::query("UPDATE records SET building_id = NULL").execute(&server.db).await.unwrap();
    walkbook_server::campaigns::fill_record_buildings(&server.db).await.unwrap();
    assert_eq!(buildings().await.unwrap(), [Some("xfl-01".to_string()), Some("ht-tower".to_string())], "filled in");
}

/// A page for a volunteer assigned to a building is full of that building's
/// records however many of others' came before them (the filter is in the
/// query, not applied to a page already cut).
#[tokio::test]
async fn an_assigned_volunteers_page_is_not_emptied_by_other_buildings_records() {
    let server = server().await;
    let everywhere = join(&server, "demo-xingfu").await;
    let others: Vec<Record> = (1..=30).map(|seq| record("demo-xingfu", "xfl-01-1-101", seq)).collect();
    call(&server, post("/api/v1/sync/push", Some(&everywhere), push_body(&others))).await;
    call(&server, post("/api/v1/sync/push", Some(&everywhere), push_body(&[record("demo-xingfu", "ht-0101", 31)]))).await;
    let (_, code) = invite(&server.db, &server.campaigns, "demo-xingfu", "Tower only", &["ht-tower".to_string()], 60_000).await.unwrap();
    let (_, cookie, _) = call(&server, post("/api/v1/join", None, json!({ "code": code }).to_string())).await;
    let tower_only = cookie.unwrap().split(';').next().unwrap().to_string();
    let (_, _, page) = call(&server, get("/api/v1/sync/pull?cursor=0&limit=10", &tower_only)).await;
    let doors: Vec<&str> = page["records"].as_array().unwrap().iter().map(|r| r["door_id"].as_str().unwrap()).collect();
    assert_eq!(doors, ["ht-0101"], "{page}");
    assert_eq!(page["more"], false);
}

#[tokio::test]
async fn a_volunteer_assigned_to_buildings_stores_only_their_records() {
    let server = server().await;
    let (_, code) = invite(&server.db, &server.campaigns, "demo-xingfu", "Restricted", &["ht-tower".to_string()], 60_000).await.unwrap();
    let request = json!({ "code": code, "device_id": "phone-1", "local_volunteer_id": "v" }).to_string();
    let (_, cookie, _) = call(&server, post("/api/v1/join", None, request)).await;
    let cookie = cookie.unwrap().split(';').next().unwrap().to_string();
    let mut red = roster_record("xfl-01-1-101", 1, &[("p1", "A", "red")]);
    red.form_version = 2;
    let notice = Record {
        door_id: String::new(),
        kind: RecordKind::FloorNotice { building_id: "xfl-01".into(), floor: 1, notice_id: String::new() },
        ..record("demo-xingfu", "", 2)
    };
    let results = push_from(&server, &cookie, "phone-1", &[record("demo-xingfu", "ht-0101", 3), red, notice]).await;
    assert_eq!(results[0].0, "stored", "{results:?}");
    for (status, reason) in &results[1..] {
        assert_eq!(status, "rejected");
        assert!(reason.contains("building 'xfl-01' is not one of the buildings assigned"), "{reason}");
    }
    assert!(alert_kinds(&server).await.is_empty(), "a refused red code raises nothing");
}

#[tokio::test]
async fn sizes_are_bounded_answers_must_be_in_the_form_and_pull_pages_by_bytes() {
    use walkbook_core::form::Answer;
    let server = server().await;
    let cookie = join(&server, "demo-xingfu").await;
    let household = |seq: u64, note: &str, extra: Option<(&str, Answer)>| {
        let mut record = roster_record("hp-01", seq, &[("p1", "A", "green")]);
        record.answers.insert("notes".into(), Answer::Text(note.into()));
        record.answers.extend(extra.map(|(k, v)| (k.to_string(), v)));
        record
    };
    let results = push_from(
        &server,
        &cookie,
        "phone-1",
        &[
            household(1, &"x".repeat(900_000 / 1000), None),
            household(2, &"x".repeat(2_001), None),
            household(3, "fine", Some(("salary", Answer::Number(1.0)))),
        ],
    )
    .await;
    assert_eq!(results[0].0, "stored", "{results:?}");
    assert!(results[1].1.contains("Too long"), "{results:?}");
    assert!(results[2].1.contains("answer 'salary': This form has no such question"), "{results:?}");
    // One record too large for the push limit is answered 413 as a whole; the
    // phone then sends it alone and shows it refused (see the PWA's sync).
    let device_id = "phone-\u{0}-1";
    let body = json!({ "device_id": device_id, "records": [] }).to_string();
    let (status, _, answer) = call(&server, post("/api/v1/sync/push", Some(&cookie), body)).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_device_id")));

    // Pull pages stop at their byte bound (records of up to 2 KB notes here).
    let writer = join_as(&server, "demo-xingfu", "phone-2").await;
    let big: Vec<Record> = (10..1010)
        .map(|seq| Record { device_id: "phone-2".into(), ..household(seq, &"y".repeat(2_000), None) })
        .map(|mut r| {
            r.id = uuid::Uuid::new_v4().to_string();
            r
        })
        .collect();
    for batch in big.chunks(250) {
        let results = push_from(&server, &writer, "phone-2", batch).await;
        assert!(results.iter().all(|(status, _)| status == "stored"), "{results:?}");
    }
    let (_, _, page) = call(&server, get("/api/v1/sync/pull?cursor=0&device_id=phone-1", &cookie)).await;
    let bytes = serde_json::to_string(&page["records"]).unwrap().len();
    assert!(bytes <= walkbook_core::limits::MAX_PULL_PAGE_BYTES + 4096, "{bytes}");
    assert_eq!(page["more"], true);
    assert!(page["records"].as_array().unwrap().len() < 1000);
}

#[tokio::test]
async fn a_fever_for_a_person_no_household_names_waits_for_the_household() {
    let server = server().await;
    let cookie = join(&server, "demo-xingfu").await;
    let invented: Vec<Record> = (1..=20).map(|seq| check_record("hp-02", seq, &format!("ghost-{seq}"), 39.0)).collect();
    let results = push_from(&server, &cookie, "phone-1", &invented).await;
    assert!(results.iter().all(|(status, _)| status == "stored"), "{results:?}");
    assert!(alert_kinds(&server).await.is_empty(), "invented people raise no alert");
    // The household naming ghost-3 arrives: that reading's alert is raised.
    let results = push_from(&server, &cookie, "phone-1", &[roster_record("hp-02", 30, &[("ghost-3", "C", "green")])]).await;
    assert_eq!(results[0].0, "stored", "{results:?}");
    assert_eq!(alert_kinds(&server).await, [("fever".to_string(), "ghost-3".to_string())]);
}

#[tokio::test]
async fn a_batch_the_database_refuses_fails_alone_in_its_group() {
    use walkbook_core::sync::PushStatus;
    use walkbook_server::ingest::{CheckedBatch, Ingest, StoredForm};
    let server = server().await;
    join(&server, "demo-xingfu").await;
    let volunteer_id: String = sqlx::query_scalar("SELECT volunteer_id FROM sessions").fetch_one(&server.db).await.unwrap();
    let ingest = Ingest::start(server.db.clone());
    let index = server.campaigns.get(&server.db, "demo-xingfu").await.unwrap();
    let batch = |record: Record| {
        let body = serde_json::to_string(&record).unwrap();
        let session = walkbook_server::auth::Session {
            volunteer_id: volunteer_id.clone(),
            campaign_id: "demo-xingfu".into(),
            device_id: None,
            local_volunteer_id: None,
            token_hash: String::new(),
        };
        CheckedBatch { session, index: index.clone(), records: vec![(record, Ok(StoredForm { hash: body.len().to_string(), body }))] }
    };
    // A record that got past the checks but that the database refuses (no
    // such campaign: a foreign key), grouped with good ones.
    let poison = Record { campaign_id: "no-such-campaign".into(), ..record("demo-xingfu", "hp-01", 1) };
    let stores: Vec<_> = [record("demo-xingfu", "hp-02", 2), poison, record("demo-xingfu", "hp-03", 3)]
        .into_iter()
        .map(|record| {
            let ingest = ingest.clone();
            let batch = batch(record);
            tokio::spawn(async move { ingest.store(batch).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for store in stores {
        outcomes.push(store.await.unwrap().map(|results| results[0].status));
    }
    assert_eq!(outcomes[0].as_ref().ok(), Some(&PushStatus::Stored));
    assert!(outcomes[1].is_err());
    assert_eq!(outcomes[2].as_ref().ok(), Some(&PushStatus::Stored));
    assert_eq!(stored_count(&server).await, 2);
}

/// The answer to `uri` as the phone gets it when it accepts `encoding`:
/// its Content-Encoding and its body decoded.
async fn fetched_with_encoding(server: &Server, uri: &str, cookie: &str, encoding: &str) -> (Option<String>, usize, Vec<u8>) {
    let mut request = get(uri, cookie);
    request.headers_mut().insert(header::ACCEPT_ENCODING, encoding.parse().unwrap());
    let (status, headers, body) = common::bytes(server, request).await;
    assert_eq!(status, StatusCode::OK);
    let content_encoding = headers.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap().to_string());
    let mut decoded = Vec::new();
    match content_encoding.as_deref() {
        Some("br") => {
            brotli::BrotliDecompress(&mut &body[..], &mut decoded).unwrap();
        }
        Some("gzip") => {
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut decoded).unwrap();
        }
        None => decoded = body.clone(),
        Some(other) => panic!("unexpected encoding {other}"),
    }
    (content_encoding, body.len(), decoded)
}

#[tokio::test]
async fn campaigns_and_pulls_are_compressed_for_phones_that_ask() {
    let server = server().await;
    let cookie = join(&server, "demo-xingfu").await;
    let records: Vec<Record> = (1..=200).map(|seq| record("demo-xingfu", "ht-1201", seq)).collect();
    let (status, _, body) = call(&server, post("/api/v1/sync/push", Some(&cookie), push_body(&records))).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // An export is streamed in chunks as it is written; compressed too.
    let desk = common::coordinator(&server, &["demo-xingfu"]).await;
    for (uri, cookie) in [
        ("/api/v1/demo/campaign", &cookie),
        ("/api/v1/sync/pull?cursor=0&device_id=phone-2", &cookie),
        ("/api/v1/coordinator/campaigns/demo-xingfu/exports/doors.csv", &desk),
        ("/api/v1/coordinator/campaigns/demo-xingfu/exports/audit.csv", &desk),
    ] {
        let (plain_encoding, plain_len, plain) = fetched_with_encoding(&server, uri, cookie, "identity").await;
        assert_eq!(plain_encoding, None, "{uri}");
        assert_eq!(plain_len, plain.len());
        assert!(plain_len > 0, "{uri}");
        for (accepted, expected) in [("gzip, deflate, br", "br"), ("gzip", "gzip")] {
            let (encoding, sent, decoded) = fetched_with_encoding(&server, uri, cookie, accepted).await;
            assert_eq!(encoding.as_deref(), Some(expected), "{uri} for {accepted}");
            assert_eq!(decoded, plain, "{uri} decodes to the same answer");
            // (A header-only audit trail is too small to shrink.)
            assert!(plain_len < 1000 || sent * 4 < plain_len, "{uri}: {sent} bytes sent for {plain_len}");
        }
    }
}
