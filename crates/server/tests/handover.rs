//! Records handed over between phones: phone A registers its key when it
//! joins and signs its unsent records; phone B pushes them as relayed. The
//! server stores each once, only with A's valid signature, and refuses a
//! forged or altered record with why; when A comes back, its own push of
//! the same records answers `duplicate`.

use axum::http::StatusCode;
use base64::Engine;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{json, Value};
use walkbook_core::record::Record;
use walkbook_server::campaigns::{invite, now_ms};

mod common;
use common::{call, post, server, Server};

const CAMPAIGN: &str = "demo-xingfu";

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A phone's key, as WebCrypto would make it (fixed here, for a repeatable test).
fn phone_key(seed: u8) -> (SigningKey, String) {
    let key = SigningKey::from_slice(&[seed; 32]).unwrap();
    let public = base64(key.verifying_key().to_encoded_point(false).as_bytes());
    (key, public)
}

fn sign(key: &SigningKey, record: &Value) -> String {
    let record: Record = serde_json::from_value(record.clone()).unwrap();
    let signature: Signature = key.sign(&walkbook_core::sync::canonical_bytes(&record));
    base64(&signature.to_bytes())
}

/// Joins as a new volunteer on phone `device`, registering `public_key`:
/// (cookie, volunteer id).
async fn join(server: &Server, name: &str, device: &str, public_key: Option<&str>) -> (String, String) {
    let (volunteer_id, code) = invite(&server.db, &server.campaigns, CAMPAIGN, name, &[], 60_000).await.unwrap();
    let request = json!({ "code": code, "device_id": device, "public_key": public_key });
    let (status, cookie, body) = call(server, post("/api/v1/join", None, request.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (cookie.unwrap().split(';').next().unwrap().to_string(), volunteer_id)
}

fn visit(volunteer_id: &str, device: &str, seq: u64, door: &str) -> Value {
    json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": CAMPAIGN, "door_id": door, "form_id": "household", "form_version": 2,
        "outcome": { "kind": "not_home" }, "volunteer_id": volunteer_id, "device_id": device, "device_seq": seq,
        "device_time": now_ms() - 3_600_000 + seq as i64
    })
}

async fn push(server: &Server, cookie: &str, device: &str, records: &[&Value], relayed: &[(&Value, String)]) -> Vec<Value> {
    let relayed: Vec<Value> = relayed.iter().map(|(record, signature)| json!({ "record": record, "signature": signature })).collect();
    let body = json!({ "device_id": device, "records": records, "relayed": relayed }).to_string();
    let (status, _, answer) = call(server, post("/api/v1/sync/push", Some(cookie), body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer["results"].as_array().unwrap().clone()
}

#[tokio::test]
async fn records_relayed_with_their_makers_signature_are_stored_once_and_forgeries_refused() {
    let server = server().await;
    let (key_a, public_a) = phone_key(7);
    let (key_c, public_c) = phone_key(9);
    let (phone_a, wang) = join(&server, "Xiao Wang", "phone-a", Some(&public_a)).await;
    let (phone_b, li) = join(&server, "Xiao Li", "phone-b", None).await;

    // Phone A, offline with two records, hands them over; phone B pushes them
    // beside one of its own.
    let first = visit(&wang, "phone-a", 1, "xfl-01-1-101");
    let second = visit(&wang, "phone-a", 2, "xfl-01-1-102");
    let own = visit(&li, "phone-b", 1, "xfl-01-1-201");
    let results = push(&server, &phone_b, "phone-b", &[&own], &[(&first, sign(&key_a, &first)), (&second, sign(&key_a, &second))]).await;
    let statuses: Vec<&str> = results.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["stored", "stored", "stored"], "{results:?}");
    assert_eq!(results[1]["id"], first["id"], "own records first, then the relayed, in order");
    // Today's figures credit each record to who made it, not who sent it.
    let today: Vec<(String, i64)> =
        sqlx::query_as("SELECT volunteer_id, records FROM volunteer_days ORDER BY records DESC").fetch_all(&server.db).await.unwrap();
    assert_eq!(today, [(wang.clone(), 2), (li.clone(), 1)]);

    // Refused, each with why.
    let mut altered = visit(&wang, "phone-a", 3, "xfl-01-1-103");
    let signature = sign(&key_a, &altered);
    altered["outcome"] = json!({ "kind": "refused" });
    let forged = visit(&wang, "phone-a", 4, "xfl-01-1-104");
    join(&server, "Xiao Zhao", "phone-c", Some(&public_c)).await;
    let signed_by_another = sign(&key_c, &forged);
    let keyless = visit(&li, "phone-d", 1, "xfl-01-1-105");
    let other_volunteer = visit(&li, "phone-a", 5, "xfl-01-1-106");
    let other_volunteer_signature = sign(&key_a, &other_volunteer);
    let mut other_campaign = visit(&wang, "phone-a", 6, "xfl-01-1-107");
    other_campaign["campaign_id"] = json!("other");
    let other_campaign_signature = sign(&key_a, &other_campaign);
    let own_as_relayed = visit(&li, "phone-b", 2, "xfl-01-1-108");
    let cases = [
        (&altered, signature, "the signature does not match: the record was altered, or was not made on phone 'phone-a'"),
        (&forged, signed_by_another, "the signature does not match"),
        (&keyless, "AAAA".to_string(), "phone 'phone-d' registered no key in this campaign"),
        (&other_volunteer, other_volunteer_signature, "the record names volunteer"),
        (&other_campaign, other_campaign_signature, "the record belongs to campaign 'other'"),
        (&own_as_relayed, "AAAA".to_string(), "this phone's own records are pushed as records"),
    ];
    for (record, signature, why) in &cases {
        let result = &push(&server, &phone_b, "phone-b", &[], &[(record, signature.clone())]).await[0];
        assert_eq!(result["status"], "rejected", "{result}");
        assert!(result["reason"].as_str().unwrap().contains(why), "{result} should say {why}");
    }

    // Relayed again (a package imported twice): duplicates. Phone A comes
    // back and pushes its own copies: duplicates too; each is held once.
    let again = push(&server, &phone_b, "phone-b", &[], &[(&first, sign(&key_a, &first))]).await;
    assert_eq!(again[0]["status"], "duplicate");
    let back = push(&server, &phone_a, "phone-a", &[&first, &second], &[]).await;
    assert!(back.iter().all(|r| r["status"] == "duplicate"), "{back:?}");
    let (held,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM records WHERE device_id = 'phone-a'").fetch_one(&server.db).await.unwrap();
    assert_eq!(held, 2);
}

#[tokio::test]
async fn a_phone_registers_its_key_once_and_a_key_that_is_not_one_is_refused() {
    let server = server().await;
    let (invited, code) = invite(&server.db, &server.campaigns, CAMPAIGN, "Xiao Wang", &[], 60_000).await.unwrap();
    let bad = json!({ "code": code, "device_id": "phone-a", "public_key": base64(&[4; 33]) });
    let (status, _, body) = call(&server, post("/api/v1/join", None, bad.to_string())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("a P-256 public key is an uncompressed point of 65"), "{body}");
    // The code was not used up by the refusal.
    let (_, public) = phone_key(7);
    let joined = json!({ "code": code, "device_id": "phone-a" });
    let (status, cookie, _) = call(&server, post("/api/v1/join", None, joined.to_string())).await;
    assert_eq!(status, StatusCode::OK);
    let cookie = cookie.unwrap().split(';').next().unwrap().to_string();

    // A phone that joined without one registers it with a push; once.
    let body = json!({ "device_id": "phone-a", "records": [], "public_key": public }).to_string();
    assert_eq!(call(&server, post("/api/v1/sync/push", Some(&cookie), body)).await.0, StatusCode::OK);
    let (_, other) = phone_key(8);
    let body = json!({ "device_id": "phone-a", "records": [], "public_key": other }).to_string();
    assert_eq!(call(&server, post("/api/v1/sync/push", Some(&cookie), body)).await.0, StatusCode::OK);
    let keys: Vec<(String, String)> =
        sqlx::query_as("SELECT volunteer_id, public_key FROM device_keys WHERE device_id = 'phone-a'").fetch_all(&server.db).await.unwrap();
    assert_eq!(keys, vec![(invited, public)]);
}
