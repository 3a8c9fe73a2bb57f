//! The coordinator console against a real SQLite file: sign-in, campaign
//! set-up from CSV, invites, coverage, alerts, exports, revocation, and the
//! role check on every endpoint.

use axum::http::StatusCode;
use serde_json::json;

mod common;
use common::{call, coordinator, get, post, request, server, text, volunteer_cookie};

const TERRITORY: &str = "building,entrance,floor,door\nBlock A,1,1,101\nBlock A,1,1,102\nBlock A,1,2,201\nBlock A,1,2,202\n";

#[tokio::test]
async fn a_coordinator_sets_up_a_campaign_and_follows_it() {
    let server = server().await;
    let cookie = coordinator(&server, &[]).await;
    let created = json!({ "id": "spring", "name": { "en": "Spring check", "zh-Hans": "春季排查" } }).to_string();
    let (status, _, body) = call(&server, post("/api/v1/coordinator/campaigns", Some(&cookie), created.clone())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, _) = call(&server, post("/api/v1/coordinator/campaigns", Some(&cookie), created)).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // A CSV with bad lines imports nothing and names them.
    let bad = "building,entrance,floor,door\nBlock A,1,x,101\nBlock A,1,1\n";
    let (status, body) = text(&server, request("PUT", "/api/v1/coordinator/campaigns/spring/territory", &cookie, "text/csv", bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("line 2, column floor") && body.contains("line 3: 3 values"), "{body}");
    let (_, _, bundle) = call(&server, get("/api/v1/coordinator/campaigns/spring", &cookie)).await;
    assert_eq!(bundle["doors"].as_array().unwrap().len(), 0, "nothing imported");

    let (status, body) =
        text(&server, request("PUT", "/api/v1/coordinator/campaigns/spring/territory", &cookie, "text/csv", TERRITORY)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, _, bundle) = call(&server, get("/api/v1/coordinator/campaigns/spring", &cookie)).await;
    let doors: Vec<String> = bundle["doors"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(doors.len(), 4);
    let building = bundle["campaign"]["buildings"][0]["id"].as_str().unwrap().to_string();

    // A new form version is checked; a broken one is refused with its problem.
    let mut form = bundle["campaign"]["forms"][0].clone();
    form["version"] = json!(2);
    form["questions"][1]["relevant"] = json!("${nowhere} = 1");
    let (status, _, body) = call(&server, post("/api/v1/coordinator/campaigns/spring/forms", Some(&cookie), form.to_string())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["message"].as_str().unwrap().contains("${nowhere}"), "{body}");
    let patch =
        request("PATCH", "/api/v1/coordinator/campaigns/spring/settings", &cookie, "application/json", r#"{"fever_threshold_c":37.5}"#);
    assert_eq!(call(&server, patch).await.0, StatusCode::OK);
    let patch =
        request("PATCH", "/api/v1/coordinator/campaigns/spring/settings", &cookie, "application/json", r#"{"fever_threshold_c":3.75}"#);
    assert_eq!(call(&server, patch).await.0, StatusCode::UNPROCESSABLE_ENTITY);

    // Invite a volunteer: a join link with its QR code.
    let invite = request("POST", "/api/v1/coordinator/campaigns/spring/volunteers", &cookie, "application/json", r#"{"name":"Xiao Wang"}"#);
    let (status, _, invitation) = call(&server, invite).await;
    assert_eq!(status, StatusCode::OK, "{invitation}");
    // The link is made from the configured public URL, whatever Host the request named.
    assert!(invitation["link"].as_str().unwrap().starts_with("http://127.0.0.1:8080/join#code="), "{invitation}");
    assert!(invitation["qr_svg"].as_str().unwrap().contains("<svg"));
    let volunteer = volunteer_cookie(&server, invitation["code"].as_str().unwrap()).await;
    let volunteer_id = invitation["volunteer_id"].as_str().unwrap().to_string();

    // The volunteer records a household with a fever and a door not at home.
    let now = walkbook_server::campaigns::now_ms();
    let person = "11111111-1111-4111-8111-111111111111";
    let household = json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": "spring", "door_id": doors[0], "form_id": "household", "form_version": 1,
        "outcome": { "kind": "answered" },
        "answers": { "people": [{ "id": person, "answers": {
            "name": "Li Na", "relation": "head", "age_band": "18-59", "tenure": "tenant", "returned_from": "none", "health_code": "red" } }] },
        "volunteer_id": volunteer_id, "device_id": "phone-1", "device_seq": 1, "device_time": now
    });
    let not_home = json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": "spring", "door_id": doors[1], "form_id": "household", "form_version": 1,
        "outcome": { "kind": "not_home" }, "volunteer_id": volunteer_id, "device_id": "phone-1", "device_seq": 2, "device_time": now
    });
    let check = json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": "spring", "door_id": doors[0], "form_id": "household", "form_version": 1,
        "outcome": { "kind": "answered" }, "volunteer_id": volunteer_id, "device_id": "phone-1", "device_seq": 3, "device_time": now,
        "kind": { "type": "temperature_check", "person_id": person, "slot": { "date": "2026-11-28", "half": "morning" }, "celsius": 37.6 }
    });
    // A volunteer closed the second floor (a floor's record: no door).
    let closed = json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": "spring", "door_id": "", "form_id": "household", "form_version": 1,
        "outcome": { "kind": "answered" }, "volunteer_id": volunteer_id, "device_id": "phone-1", "device_seq": 4, "device_time": now,
        "kind": { "type": "floor_closed", "building_id": building, "floor": 2 }
    });
    let push = json!({ "device_id": "phone-1", "records": [household, not_home, check, closed], "outbox": { "pending": 3, "oldest_pending": now } });
    let (status, _, body) = call(&server, post("/api/v1/sync/push", Some(&volunteer), push.to_string())).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["results"].as_array().unwrap().iter().all(|r| r["status"] == "stored"), "{body}");

    // Coverage moves.
    let (_, _, coverage) = call(&server, get("/api/v1/coordinator/campaigns/spring/coverage", &cookie)).await;
    assert_eq!(coverage["coverage"], json!({ "doors": 4, "visited": 2, "final_": 1 }));
    assert_eq!(coverage["buildings"][0]["floors"][0]["coverage"], json!({ "doors": 2, "visited": 2, "final_": 1 }));
    assert_eq!(coverage["never_visited"].as_array().unwrap().len(), 2);
    assert_eq!((coverage["never_visited_total"].as_u64(), coverage["revisits_total"].as_u64()), (Some(2), Some(1)));
    assert_eq!(coverage["revisits"][0]["door"]["id"], doors[1].as_str());
    let floors = &coverage["buildings"][0]["floors"];
    assert_eq!((floors[0]["closed_at"].as_i64(), floors[1]["closed_at"].as_i64()), (None, Some(now)), "{floors}");
    let me = &coverage["volunteers"][0];
    assert_eq!((me["name"].as_str(), me["records_today"].as_u64(), me["unsent"].as_u64()), (Some("Xiao Wang"), Some(4), Some(3)));

    // Alerts: the fever (37.6 >= 37.5) and the red code; handled with who and when.
    let (_, _, alerts) = call(&server, get("/api/v1/coordinator/campaigns/spring/alerts", &cookie)).await;
    let mut kinds: Vec<&str> =
        alerts.as_array().unwrap().iter().filter(|a| a["kind"] != "overdue").map(|a| a["kind"].as_str().unwrap()).collect();
    kinds.sort_unstable();
    assert_eq!(kinds, vec!["fever", "red_code"], "{alerts}");
    let fever = alerts.as_array().unwrap().iter().find(|a| a["kind"] == "fever").unwrap();
    assert_eq!((fever["person_name"].as_str(), fever["door"]["id"].as_str()), (Some("Li Na"), Some(doors[0].as_str())));
    let handle = format!("/api/v1/coordinator/campaigns/spring/alerts/{}/handled", fever["id"].as_str().unwrap());
    let (status, _, alerts) = call(&server, post(&handle, Some(&cookie), "")).await;
    assert_eq!(status, StatusCode::OK);
    let fever = alerts.as_array().unwrap().iter().find(|a| a["kind"] == "fever").unwrap();
    assert_eq!(fever["handled_by"], "Secretary Liu");

    // Exports: BOM, ISO 8601, rows as recorded, filtered by building and days.
    let export = |file: &str, query: &str| {
        request("GET", &format!("/api/v1/coordinator/campaigns/spring/exports/{file}{query}"), &cookie, "text/plain", "")
    };
    let (status, doors_csv) = text(&server, export("doors.csv", &format!("?building={building}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doors_csv.starts_with('\u{feff}'));
    let rows: Vec<&str> = doors_csv.trim_end().split("\r\n").collect();
    assert_eq!(rows.len(), 5, "{doors_csv}");
    assert!(rows[1].contains(",final,answered,") && rows[2].contains(",revisit,not_home,"), "{doors_csv}");
    assert!(rows[1].contains("+08:00"), "ISO 8601 with the campaign's offset: {}", rows[1]);
    assert!(rows[3].contains(",unvisited,"));
    let (_, people_csv) = text(&server, export("people.csv", "")).await;
    assert!(people_csv.contains(&format!("{person},Li Na,head,18-59,tenant,,none,,red,")), "{people_csv}");
    let (_, checks_csv) = text(&server, export("checks.csv", "?from=2026-11-28&to=2026-11-28")).await;
    assert!(checks_csv.contains("2026-11-28,morning,37.6,yes,"), "{checks_csv}");
    let (_, none) = text(&server, export("checks.csv", "?from=2026-11-29")).await;
    assert_eq!(none.trim_end().split("\r\n").count(), 1, "only the header outside the range");
    assert_eq!(text(&server, export("checks.csv", "?from=yesterday")).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(text(&server, export("nope.csv", "")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(text(&server, export("doors.csv", "?building=nowhere")).await.0, StatusCode::UNPROCESSABLE_ENTITY);

    // Revoked: the phone gets 401 (it keeps its records) and the code is dead.
    let revoke = request("DELETE", &format!("/api/v1/coordinator/campaigns/spring/volunteers/{volunteer_id}"), &cookie, "text/plain", "");
    let (_, _, volunteers) = call(&server, revoke).await;
    assert_eq!(volunteers[0]["revoked"], true);
    let (status, _, _) = call(&server, get("/api/v1/sync/pull?cursor=0", &volunteer)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn coordinators_reach_only_their_campaigns() {
    let server = server().await;
    let cookie = coordinator(&server, &["other"]).await;
    // Someone else's campaign and one that does not exist get the same answer.
    let (status, _, theirs) = call(&server, get("/api/v1/coordinator/campaigns/demo-xingfu/coverage", &cookie)).await;
    assert_eq!((status, theirs["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let (status, _, missing) = call(&server, get("/api/v1/coordinator/campaigns/no-such-campaign/coverage", &cookie)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(missing["error"]["code"], theirs["error"]["code"]);
    assert_eq!(
        missing["error"]["message"].as_str().unwrap().replace("no-such-campaign", "X"),
        theirs["error"]["message"].as_str().unwrap().replace("demo-xingfu", "X")
    );
    let (status, _, list) = call(&server, get("/api/v1/coordinator/campaigns", &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect::<Vec<_>>(), vec!["other"]);
}

/// Every coordinator endpoint in the OpenAPI document answers a volunteer's
/// session with 403, and no session with 401.
#[tokio::test]
async fn volunteers_get_403_on_every_coordinator_endpoint() {
    let server = server().await;
    let (_, code) = walkbook_server::campaigns::invite(&server.db, &server.campaigns, "demo-xingfu", "V", &[], 60_000).await.unwrap();
    let volunteer = volunteer_cookie(&server, &code).await;
    let document = walkbook_server::openapi::document();
    let mut checked = 0;
    for (path, operations) in document["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/coordinator/") || path == "/api/v1/coordinator/login" {
            continue;
        }
        let uri = path
            .replace("{campaign}", "demo-xingfu")
            .replace("{volunteer}", "vol-x")
            .replace("{alert}", "1")
            .replace("{form}", "household")
            .replace("{file}", "doors.csv")
            .replace("{record}", "00000000-0000-4000-8000-000000000000")
            .replace("{building}", "xfl-01");
        for method in operations.as_object().unwrap().keys() {
            let method = method.to_uppercase();
            let (status, _, body) = call(&server, request(&method, &uri, &volunteer, "application/json", "{}")).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{method} {uri}: {body}");
            assert_eq!(body["error"]["code"], "coordinators_only");
            let (status, _, _) = call(&server, request(&method, &uri, "", "application/json", "{}")).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {uri} without a session");
            checked += 1;
        }
    }
    assert_eq!(checked, 24, "every coordinator operation but login");
}

/// Two edits from the same revision: the second is refused, not lost.
#[tokio::test]
async fn a_campaign_edit_based_on_an_old_revision_is_refused() {
    let server = server().await;
    let cookie = coordinator(&server, &["demo-xingfu"]).await;
    let (_, _, bundle) = call(&server, get("/api/v1/coordinator/campaigns/demo-xingfu", &cookie)).await;
    let read: walkbook_core::campaign::CampaignBundle = serde_json::from_value(bundle).unwrap();
    let mut first = read.clone();
    first.campaign.settings.fever_threshold_c = 37.5;
    walkbook_server::campaigns::store_campaign(&server.db, &first).await.unwrap();
    let mut second = read;
    second.campaign.languages.pop();
    let error = walkbook_server::campaigns::store_campaign(&server.db, &second).await.unwrap_err().to_string();
    assert!(error.contains("changed meanwhile"), "{error}");
    let (_, _, now) = call(&server, get("/api/v1/coordinator/campaigns/demo-xingfu", &cookie)).await;
    assert_eq!(now["campaign"]["settings"]["fever_threshold_c"], 37.5);
    assert_eq!(now["campaign"]["languages"].as_array().unwrap().len(), 4);
}

/// What a phone says of how it keeps its data reaches the volunteers list:
/// in a tab without persistent storage, with unsent records, it is at risk.
#[tokio::test]
async fn phones_say_whether_they_are_installed_and_their_storage_kept() {
    let server = server().await;
    let cookie = coordinator(&server, &["demo-xingfu"]).await;
    let (_, code) =
        walkbook_server::campaigns::invite(&server.db, &server.campaigns, "demo-xingfu", "Tab phone", &[], 60_000).await.unwrap();
    let phone = volunteer_cookie(&server, &code).await;
    let volunteer = |list: &serde_json::Value| list.as_array().unwrap().iter().find(|v| v["name"] == "Tab phone").unwrap().clone();
    let volunteers = || get("/api/v1/coordinator/campaigns/demo-xingfu/volunteers", &cookie);

    let (_, _, list) = call(&server, volunteers()).await;
    assert_eq!(volunteer(&list).get("installed"), None, "nothing said yet");

    let (status, _, _) =
        call(&server, get("/api/v1/sync/pull?pending=2&oldest_pending=1795824000000&installed=false&persisted=false", &phone)).await;
    assert_eq!(status, StatusCode::OK);
    // A pull writes nothing: what the phone said is kept and written in a batch, or when the list is read.
    let last_seen =
        || sqlx::query_scalar::<_, Option<i64>>("SELECT last_seen_at FROM volunteers WHERE name = 'Tab phone'").fetch_one(&server.db);
    assert_eq!(last_seen().await.unwrap(), None);
    let (_, _, list) = call(&server, volunteers()).await;
    assert!(last_seen().await.unwrap().is_some());
    let at_risk = volunteer(&list);
    assert_eq!(
        (at_risk["installed"].as_bool(), at_risk["persisted"].as_bool(), at_risk["at_risk"].as_bool()),
        (Some(false), Some(false), Some(true))
    );

    // Installed (the browser then keeps its storage): no longer at risk. A push says it too.
    let push =
        json!({ "device_id": "phone-x", "records": [], "outbox": { "pending": 2, "installed": true, "persisted": true } }).to_string();
    let (status, _, body) = call(&server, post("/api/v1/sync/push", Some(&phone), push)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, _, list) = call(&server, volunteers()).await;
    let installed = volunteer(&list);
    assert_eq!(
        (installed["installed"].as_bool(), installed["persisted"].as_bool(), installed["at_risk"].as_bool()),
        (Some(true), Some(true), Some(false))
    );

    // An older app that says nothing of it leaves what was said.
    let (status, _, _) = call(&server, get("/api/v1/sync/pull?pending=0", &phone)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, list) = call(&server, volunteers()).await;
    assert_eq!(volunteer(&list)["installed"].as_bool(), Some(true));
}

/// A phone whose oldest unsent record is older than the campaign's
/// `at_risk_hours`, or that has been silent that long with records unsent,
/// raises one `data_at_risk` alert for its volunteer, with its last contact;
/// it goes when the phone reports its records sent.
#[tokio::test]
async fn unsent_records_kept_too_long_raise_one_alert_until_they_arrive() {
    let server = server().await;
    let cookie = coordinator(&server, &["demo-xingfu"]).await;
    let invite =
        request("POST", "/api/v1/coordinator/campaigns/demo-xingfu/volunteers", &cookie, "application/json", r#"{"name":"Lao Zhou"}"#);
    let (_, _, invitation) = call(&server, invite).await;
    let volunteer = volunteer_cookie(&server, invitation["code"].as_str().unwrap()).await;
    let volunteer_id = invitation["volunteer_id"].as_str().unwrap();
    let alerts = || async {
        let (status, _, alerts) = call(&server, get("/api/v1/coordinator/campaigns/demo-xingfu/alerts", &cookie)).await;
        assert_eq!(status, StatusCode::OK);
        alerts.as_array().unwrap().iter().filter(|a| a["kind"] == "data_at_risk").cloned().collect::<Vec<_>>()
    };
    let pull = |pending: u32, oldest: Option<i64>| {
        let oldest = oldest.map(|at| format!("&oldest_pending={at}")).unwrap_or_default();
        get(&format!("/api/v1/sync/pull?cursor=0&device_id=phone-1&pending={pending}{oldest}"), &volunteer)
    };
    const HOUR: i64 = 3_600_000;
    let now = walkbook_server::campaigns::now_ms();

    // Three records unsent, the oldest made 11 hours ago: not yet.
    assert_eq!(call(&server, pull(3, Some(now - 11 * HOUR))).await.0, StatusCode::OK);
    assert!(alerts().await.is_empty());
    // 13 hours ago: one alert, naming the volunteer and the phone's last contact.
    call(&server, pull(3, Some(now - 13 * HOUR))).await;
    let at_risk = alerts().await;
    assert_eq!(at_risk.len(), 1, "{at_risk:?}");
    assert_eq!((at_risk[0]["person_id"].as_str(), at_risk[0]["person_name"].as_str()), (Some(volunteer_id), Some("Lao Zhou")));
    assert!(at_risk[0]["detail"].as_str().unwrap().starts_with("3 unsent"), "{at_risk:?}");
    assert_eq!(at_risk[0]["at"].as_i64(), Some(now - HOUR));
    // A campaign that allows a day: not yet.
    let patch =
        |body: &str| request("PATCH", "/api/v1/coordinator/campaigns/demo-xingfu/settings", &cookie, "application/json", body.to_string());
    assert_eq!(call(&server, patch(r#"{"at_risk_hours":24}"#)).await.0, StatusCode::OK);
    assert!(alerts().await.is_empty());
    assert_eq!(call(&server, patch(r#"{"at_risk_hours":0}"#)).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(call(&server, patch(r#"{"at_risk_hours":12}"#)).await.0, StatusCode::OK);

    // Handled, it stays handled; the records arriving clear it.
    let handle = format!("/api/v1/coordinator/campaigns/demo-xingfu/alerts/{}/handled", at_risk[0]["id"].as_str().unwrap());
    let (status, _, _) = call(&server, post(&handle, Some(&cookie), "")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(alerts().await[0]["handled_by"], "Secretary Liu");
    call(&server, pull(0, None)).await;
    assert!(alerts().await.is_empty());

    // A phone that does not say how old its records are (an older app),
    // silent for 14 hours with one unsent: at risk from the silence.
    call(&server, pull(1, None)).await;
    assert!(alerts().await.is_empty(), "the phone was in touch just now");
    let silent_since = now - 14 * HOUR;
    sqlx::query("UPDATE volunteers SET last_seen_at = $1 WHERE id = $2")
        .bind(silent_since)
        .bind(volunteer_id)
        .execute(&server.db)
        .await
        .unwrap();
    let at_risk = alerts().await;
    assert_eq!(at_risk.len(), 1, "{at_risk:?}");
    assert_eq!(at_risk[0]["at"].as_i64(), Some(silent_since + 12 * HOUR));
    assert!(at_risk[0]["handled_by"].is_null(), "a new episode is a new alert");
}

/// A building's paper sheet: every floor and door, the status now, boxes to
/// tick, in the campaign's first language; names from files are escaped.
#[tokio::test]
async fn a_buildings_paper_sheet_lists_its_doors_floor_by_floor_with_their_status() {
    let server = server().await;
    let cookie = coordinator(&server, &[]).await;
    let created = json!({ "id": "sheet", "name": { "en": "Sheet check" }, "languages": ["en", "zh-Hans"] }).to_string();
    assert_eq!(call(&server, post("/api/v1/coordinator/campaigns", Some(&cookie), created)).await.0, StatusCode::OK);
    let territory = "building,entrance,floor,door\n<b>Block & A</b>,1,1,101\n<b>Block & A</b>,1,1,102\n<b>Block & A</b>,1,2,201\n";
    let (status, body) =
        text(&server, request("PUT", "/api/v1/coordinator/campaigns/sheet/territory", &cookie, "text/csv", territory)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, _, bundle) = call(&server, get("/api/v1/coordinator/campaigns/sheet", &cookie)).await;
    let building = bundle["campaign"]["buildings"][0]["id"].as_str().unwrap().to_string();
    let door = bundle["doors"][1]["id"].as_str().unwrap().to_string();
    let label = |at: usize| bundle["doors"][at]["label"].as_str().unwrap().to_string();
    let invite = request("POST", "/api/v1/coordinator/campaigns/sheet/volunteers", &cookie, "application/json", r#"{"name":"V"}"#);
    let (_, _, invitation) = call(&server, invite).await;
    let volunteer = volunteer_cookie(&server, invitation["code"].as_str().unwrap()).await;
    let not_home = json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": "sheet", "door_id": door, "form_id": "household", "form_version": 1,
        "outcome": { "kind": "not_home" }, "volunteer_id": invitation["volunteer_id"], "device_id": "phone-1", "device_seq": 1,
        "device_time": walkbook_server::campaigns::now_ms()
    });
    let push = json!({ "device_id": "phone-1", "records": [not_home] }).to_string();
    assert_eq!(call(&server, post("/api/v1/sync/push", Some(&volunteer), push)).await.0, StatusCode::OK);

    let sheet = |building: &str, cookie: &str| {
        request("GET", &format!("/api/v1/coordinator/campaigns/sheet/print/buildings/{building}"), cookie, "text/plain", "")
    };
    let (status, page) = text(&server, sheet(&building, &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.starts_with("<!DOCTYPE html><html lang=\"en\">"), "the campaign's first language: {page}");
    assert!(page.contains("Sheet check · &lt;b&gt;Block &amp; A&lt;/b&gt;") && !page.contains("<b>Block"), "{page}");
    assert_eq!(page.matches("<section class=\"floor\"").count(), 2);
    assert!(page.contains("<h2>Floor 1</h2>") && page.contains("<h2>Floor 2</h2>"), "{page}");
    let row = |at: usize| page.split("<tr data-door=").find(|row| row.contains(&format!(">{}</td>", label(at)))).unwrap().to_string();
    assert!(row(1).contains("Revisit<br><small>Not home · "), "{}", row(1));
    assert!(row(0).contains("<td>Not visited</td>") && row(0).contains("☐ Come back"), "{}", row(0));
    assert_eq!(text(&server, sheet("nowhere", &cookie)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(text(&server, sheet(&building, &volunteer)).await.0, StatusCode::FORBIDDEN);
    let (status, css) = text(&server, axum::http::Request::get("/api/v1/print.css").body(axum::body::Body::empty()).unwrap()).await;
    assert!(status == StatusCode::OK && css.contains("size: A4"), "{css}");
}

/// Shop streets come from the territory CSV's `kind` column; `shops.csv`
/// has one row per shop with each question of the shop form and its staff.
#[tokio::test]
async fn shop_streets_are_imported_visited_and_exported_with_their_staff() {
    let server = server().await;
    let cookie = coordinator(&server, &[]).await;
    let created = json!({ "id": "shops", "name": { "en": "Shops" } }).to_string();
    assert_eq!(call(&server, post("/api/v1/coordinator/campaigns", Some(&cookie), created)).await.0, StatusCode::OK);
    let put = |csv: &'static str| request("PUT", "/api/v1/coordinator/campaigns/shops/territory", &cookie, "text/csv", csv);
    let (status, body) = text(&server, put("building,entrance,floor,door,kind\nHeping Street,,1,No. 12 Noodles,bakery\n")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("line 2, column kind: 'bakery' is not a kind of building"), "{body}");
    let territory = "building,entrance,floor,door,kind\nBlock 1,1,1,101,\nHeping Street,,1,No. 12 Noodles,shops\nHeping Street,,1,Li's Pharmacy,shops\n";
    let (status, body) = text(&server, put(territory)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, _, bundle) = call(&server, get("/api/v1/coordinator/campaigns/shops", &cookie)).await;
    let street = bundle["campaign"]["buildings"].as_array().unwrap().iter().find(|b| b["kind"] == "street").unwrap().clone();
    assert_eq!(street["form_id"], "shop");
    let noodles = bundle["doors"].as_array().unwrap().iter().find(|d| d["label"] == "No. 12 Noodles").unwrap()["id"].clone();

    let invite = request("POST", "/api/v1/coordinator/campaigns/shops/volunteers", &cookie, "application/json", r#"{"name":"V"}"#);
    let (_, _, invitation) = call(&server, invite).await;
    let volunteer = volunteer_cookie(&server, invitation["code"].as_str().unwrap()).await;
    let visit = json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign_id": "shops", "door_id": noodles, "form_id": "shop", "form_version": 1,
        "outcome": { "kind": "answered" }, "volunteer_id": invitation["volunteer_id"], "device_id": "phone-1", "device_seq": 1,
        "device_time": walkbook_server::campaigns::now_ms(),
        "answers": { "staff": [
            { "id": "s1", "answers": { "name": "Li", "health_code": "green" } },
            { "id": "s2", "answers": { "name": "Wang", "health_code": "red" } }
        ], "thermometer": true, "notice_posted": false }
    });
    let push = json!({ "device_id": "phone-1", "records": [visit] }).to_string();
    let (_, _, pushed) = call(&server, post("/api/v1/sync/push", Some(&volunteer), push)).await;
    assert_eq!(pushed["results"][0]["status"], "stored", "{pushed}");

    let export = |file: &str| request("GET", &format!("/api/v1/coordinator/campaigns/shops/exports/{file}"), &cookie, "text/plain", "");
    let (status, shops) = text(&server, export("shops.csv")).await;
    assert_eq!(status, StatusCode::OK);
    let rows: Vec<&str> = shops.trim_end().split("\r\n").collect();
    assert_eq!(rows.len(), 3, "a header and the two shops, no home: {shops}");
    assert!(rows[0].ends_with(",record_id,thermometer,notice_posted,notes,staff (name / health_code)"), "{}", rows[0]);
    let noodles_row = rows.iter().find(|r| r.contains("No. 12 Noodles")).unwrap();
    assert!(noodles_row.contains(",final,answered,") && noodles_row.ends_with(",yes,no,,Li / green; Wang / red"), "{noodles_row}");
    assert!(rows.iter().any(|r| r.contains("Li's Pharmacy,") && r.contains(",unvisited,")), "{shops}");
    let (_, doors) = text(&server, export("doors.csv")).await;
    assert!(!doors.contains("staff (") && doors.contains(",101,"), "doors.csv lists homes and shops without the staff: {doors}");
}
