//! Forms from XLSForms over HTTP, against a real SQLite file: preview,
//! store, a phone's next pull, the export back, and every bad upload
//! refused with nothing changed.

use axum::http::StatusCode;
use walkbook_core::campaign::CampaignBundle;
use walkbook_core::demo::DEMO_CAMPAIGN_ID;
use walkbook_core::form::QuestionKind;
use walkbook_core::lang::Lang;
use walkbook_xlsform::Target;

mod common;
use common::{bytes, call, coordinator, get, post, request, server, text, volunteer_cookie, Server};
use serde_json::json;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const IMPORT: &str = "/api/v1/coordinator/campaigns/demo-xingfu/forms/xlsform";

fn household_xlsform() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/household-xlsform.xlsx")).unwrap()
}

async fn bundle(server: &Server, cookie: &str) -> CampaignBundle {
    let (status, _, body) = call(server, get("/api/v1/coordinator/campaigns/demo-xingfu", cookie)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).unwrap()
}

/// The cells of the CSV line containing `needle`, by column name (no cell here holds a comma).
fn cells<'a>(csv: &'a str, needle: &str) -> std::collections::HashMap<&'a str, &'a str> {
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let header = lines.next().unwrap().split(',');
    let line = lines.find(|line| line.contains(needle)).unwrap_or_else(|| panic!("no line with {needle}: {csv}"));
    header.zip(line.split(',')).collect()
}

#[tokio::test]
async fn an_xlsform_is_previewed_then_stored_reaches_phones_and_exports_back() {
    let server = server().await;
    let cookie = coordinator(&server, &[DEMO_CAMPAIGN_ID]).await;
    let before = bundle(&server, &cookie).await;
    let next_version = before.campaign.current_form("household").unwrap().version + 1;

    let preview = request("POST", &format!("{IMPORT}?form_id=household&dry_run=true"), &cookie, XLSX, household_xlsform());
    let (status, _, body) = call(&server, preview).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["form"]["version"], next_version);
    assert!(body.get("revision").is_none(), "a preview stores nothing: {body}");
    let warnings: Vec<&str> = body["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert!(warnings.iter().any(|w| w.contains("'start'") && w.contains("left out")), "{warnings:?}");
    assert_eq!(bundle(&server, &cookie).await, before, "the dry run changed nothing");

    // A phone that joined before the import.
    let (volunteer_id, code) =
        walkbook_server::campaigns::invite(&server.db, &server.campaigns, DEMO_CAMPAIGN_ID, "Wang", &[], 60_000).await.unwrap();
    let phone = volunteer_cookie(&server, &code).await;

    let store = request("POST", &format!("{IMPORT}?form_id=household"), &cookie, XLSX, household_xlsform());
    let (status, _, stored) = call(&server, store).await;
    assert_eq!(status, StatusCode::OK, "{stored}");
    let revision = stored["revision"].as_u64().unwrap();
    assert!(revision > before.campaign.revision);
    let after = bundle(&server, &cookie).await;
    let form = after.campaign.current_form("household").unwrap().clone();
    assert_eq!(form.version, next_version);
    assert_eq!(serde_json::to_value(&form).unwrap(), stored["form"]);
    assert!(after.campaign.forms.iter().any(|f| f.id == "household" && f.version == next_version - 1), "older versions stay");
    let ids: Vec<&str> = form.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["home", "household_size", "has_pets", "pet_kind", "people", "thanks"]);
    assert!(matches!(form.questions[4].kind, QuestionKind::Repeat { .. }));

    let pull = format!("/api/v1/sync/pull?cursor=0&campaign_revision={}", before.campaign.revision);
    let (status, _, pulled) = call(&server, get(&pull, &phone)).await;
    assert_eq!(status, StatusCode::OK, "{pulled}");
    let pulled: CampaignBundle = serde_json::from_value(pulled["campaign"].clone()).expect("the pull carries the new campaign");
    assert_eq!(pulled.campaign.current_form("household"), Some(&form));

    // The phone fills the new form in; the exports carry its answers.
    let record = json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": DEMO_CAMPAIGN_ID, "door_id": "xfl-01-1-101",
        "form_id": "household", "form_version": form.version, "outcome": { "kind": "answered" },
        "answers": {
            "household_size": 2, "has_pets": "yes", "pet_kind": "cat",
            "people": [{ "id": "p1", "answers": { "name": "Chen Jing", "age": 34, "vaccinated": "yes" } }]
        },
        "volunteer_id": volunteer_id, "device_id": "phone-1", "device_seq": 1, "device_time": 1_795_824_000_000i64
    });
    let push = json!({ "device_id": "phone-1", "records": [record] }).to_string();
    let (status, _, pushed) = call(&server, post("/api/v1/sync/push", Some(&phone), push)).await;
    assert_eq!((status, pushed["results"][0]["status"].as_str()), (StatusCode::OK, Some("stored")), "{pushed}");
    let export = |file: &str| get(&format!("/api/v1/coordinator/campaigns/demo-xingfu/exports/{file}"), &cookie);
    let (_, doors) = text(&server, export("doors.csv")).await;
    let door = cells(&doors, "xfl-01-1-101");
    assert_eq!((door["household_size"], door["has_pets"], door["pet_kind"]), ("2", "yes", "cat"), "{doors}");
    assert_eq!(door["returned"], "", "a column of an older version stays, empty for this record");
    let (_, people) = text(&server, export("people.csv")).await;
    let chen = cells(&people, "Chen Jing");
    assert_eq!((chen["name"], chen["age"], chen["vaccinated"]), ("Chen Jing", "34", "yes"), "{people}");

    let (status, headers, file) = bytes(&server, get("/api/v1/coordinator/campaigns/demo-xingfu/forms/household/xlsform", &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], XLSX);
    assert!(headers["content-disposition"].to_str().unwrap().contains(&format!("household-v{next_version}.xlsx")));
    let languages = [Lang::ZhHans, Lang::En];
    let back = walkbook_xlsform::import(&file, &Target { form_id: "household", version: form.version, languages: &languages }).unwrap();
    assert_eq!(back.form, form, "the exported XLSForm imports back to the same form");
}

#[tokio::test]
async fn bad_uploads_are_refused_by_what_is_wrong_and_change_nothing() {
    let server = server().await;
    let cookie = coordinator(&server, &[DEMO_CAMPAIGN_ID]).await;
    let before = bundle(&server, &cookie).await;
    let upload = |uri: &str, content_type: &str, body: Vec<u8>| request("POST", uri, &cookie, content_type, body);
    let household = format!("{IMPORT}?form_id=household");

    let (status, body) = text(&server, upload(&household, "text/csv", household_xlsform())).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");

    let (status, body) = text(&server, upload(&household, XLSX, vec![b'x'; 50 * 1024 * 1024])).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");

    let mut corrupt = household_xlsform();
    corrupt.truncate(corrupt.len() / 2);
    let (status, _, body) = call(&server, upload(&household, XLSX, corrupt)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("unreadable_spreadsheet")), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("damaged"), "{body}");

    let (status, _, body) = call(&server, upload(&household, XLSX, Vec::new())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("empty"), "{body}");

    // A well-formed workbook whose form Walkbook cannot ask: each problem is named where it is.
    let pyxform = |file: &str| std::fs::read(format!("{}/../xlsform/tests/public/pyxform/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let (status, _, body) = call(&server, upload(&household, XLSX, pyxform("gps.xls"))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_xlsform")), "{body}");
    assert_eq!(
        body["error"]["problems"][0],
        "survey, row 2, column 'type': 'gps': locations are not supported: a record is tied to its door"
    );

    for (query, status) in [
        ("", StatusCode::BAD_REQUEST),
        ("?form_id=household&extra=1", StatusCode::BAD_REQUEST),
        ("?form_id=%01", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let (got, body) = text(&server, upload(&format!("{IMPORT}{query}"), XLSX, household_xlsform())).await;
        assert_eq!(got, status, "{query}: {body}");
    }

    let (status, body) = text(&server, upload(&household.replace("demo-xingfu", "other"), XLSX, household_xlsform())).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a campaign this coordinator does not run: {body}");
    let (status, body) = text(&server, get("/api/v1/coordinator/campaigns/demo-xingfu/forms/nosuch/xlsform", &cookie)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    let (_, code) = walkbook_server::campaigns::invite(&server.db, &server.campaigns, DEMO_CAMPAIGN_ID, "Wang", &[], 60_000).await.unwrap();
    let volunteer = volunteer_cookie(&server, &code).await;
    let (status, body) = text(&server, request("POST", &household, &volunteer, XLSX, household_xlsform())).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a volunteer cannot change forms: {body}");

    assert_eq!(bundle(&server, &cookie).await, before, "nothing changed");
}
