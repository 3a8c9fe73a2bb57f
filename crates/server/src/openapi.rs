//! The OpenAPI 3 document at `/api/v1/openapi.json`, made from the code:
//! every request and answer schema is generated from the Rust type the
//! handler reads or writes (`schemars`, following its serde attributes), and
//! the answers an operation can give follow from what it takes (a session, a
//! JSON body, a path, a query). So the document cannot drift from the types;
//! a test keeps its operations equal to the routes, and a property-based run
//! (`scripts/api-fuzz.sh`, schemathesis) checks the server against it.

use std::sync::LazyLock;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{json, Map, Value};
use walkbook_core::api::{ErrorBody, Health};
use walkbook_core::campaign::CampaignBundle;
use walkbook_core::console::{
    AlertView, AssignRequest, CampaignChanged, NeedView, CampaignClosed, CampaignSummary, CoordinatorView, CoverageReport, CreateCampaign,
    InviteRequest, InviteResponse, LoginRequest, SettingsUpdate, VoidRequest, VolunteerSummary, XlsFormImport,
};
use walkbook_core::form::Form;
use walkbook_core::limits::{MAX_ID_CHARS, MAX_TERRITORY_CSV_BYTES, MAX_XLSFORM_BYTES};
use walkbook_core::record::Record;
use walkbook_core::report::DailyReport;
use walkbook_core::sync::{JoinRequest, JoinResponse, PullResponse, PushRequest, PushResponse};

use crate::json::XLSX;
use crate::routes::coordinator::exports::{ExportQuery, EXPORTS};
use crate::routes::coordinator::forms::XlsFormQuery;
use crate::routes::coordinator::needs::NeedsQuery;
use crate::routes::coordinator::reports::DailyQuery;
use crate::routes::sync::PullQuery;

/// Who may call an operation.
#[derive(Clone, Copy, PartialEq)]
enum Caller {
    Anyone,
    Volunteer,
    Coordinator,
}

/// What a request carries.
enum Body {
    Empty,
    Json(Value),
    Csv,
    /// An `.xlsx` file's bytes.
    Spreadsheet,
}

/// What a successful answer carries.
enum Answer {
    Json(Value),
    Csv,
    /// A page (or its stylesheet) to print.
    Page(&'static str),
    Spreadsheet,
    Nothing,
}

struct Operation {
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    caller: Caller,
    body: Body,
    query: Option<Value>,
    status: u16,
    answer: Answer,
    /// Refusals particular to this operation, besides those that follow
    /// from its caller, body, path and query.
    refusals: &'static [(u16, &'static str)],
}

/// The document, made once.
pub fn document() -> &'static Value {
    static DOCUMENT: LazyLock<Value> = LazyLock::new(make);
    &DOCUMENT
}

fn make() -> Value {
    let mut generator = SchemaSettings::openapi3().into_generator();
    let operations = operations(&mut generator);
    let error = schema::<ErrorBody>(&mut generator);
    let mut paths = Map::new();
    for operation in &operations {
        let entry = paths.entry(operation.path).or_insert_with(|| json!({}));
        entry[operation.method] = describe(operation, &error);
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Walkbook API",
            "version": "1",
            "description": "The endpoint Walkbook's PWA syncs with, and the coordinator console's. Errors are always \
                {\"error\": {\"code\", \"message\"}} with a 4xx/5xx status. Volunteers are authorised by the HttpOnly \
                session cookie set by /api/v1/join, coordinators by the one set by /api/v1/coordinator/login; \
                every request is limited to the caller's campaigns. Sizes are bounded as crates/core/src/limits.rs states."
        },
        "paths": paths,
        "components": {
            "schemas": generator.take_definitions(true),
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE },
                "coordinator": { "type": "apiKey", "in": "cookie", "name": crate::auth::COORDINATOR_COOKIE },
            },
        },
    })
}

/// `T`'s schema (a reference to a component, mostly), made OpenAPI 3.0's
/// dialect (`nullable`, `enum` for `const`) as the components are.
fn schema<T: JsonSchema>(generator: &mut SchemaGenerator) -> Value {
    let mut schema = generator.subschema_for::<T>();
    for transform in generator.transforms_mut() {
        transform.transform(&mut schema);
    }
    schema.to_value()
}

/// A query's schema, whole (its properties become the operation's query
/// parameters, so it cannot be a reference to a component).
fn query_schema<T: JsonSchema>(generator: &mut SchemaGenerator) -> Value {
    let mut schema = generator.root_schema_for::<T>();
    for transform in generator.transforms_mut() {
        transform.transform(&mut schema);
    }
    schema.to_value()
}

fn operations(g: &mut SchemaGenerator) -> Vec<Operation> {
    use Caller::{Anyone, Coordinator, Volunteer};
    let op = |method, path, summary, caller, body, answer: Answer| Operation {
        method,
        path,
        summary,
        caller,
        body,
        query: None,
        status: if matches!(answer, Answer::Nothing) { 204 } else { 200 },
        answer,
        refusals: &[],
    };
    let mut operations = vec![
        Operation {
            refusals: &[(503, "The record writer is restarting")],
            ..op(
                "get",
                "/api/v1/health",
                "The server, its database and its record writer answer",
                Anyone,
                Body::Empty,
                Answer::Json(schema::<Health>(g)),
            )
        },
        op("get", "/api/v1/openapi.json", "This document", Anyone, Body::Empty, Answer::Json(json!({ "type": "object" }))),
        op(
            "get",
            "/api/v1/demo/campaign",
            "The demo campaign a phone loads on first start",
            Anyone,
            Body::Empty,
            Answer::Json(schema::<CampaignBundle>(g)),
        ),
        Operation {
            refusals: &[(401, "The code cannot be used: mistyped, used or expired"), (409, CLOSED), (429, TOO_MANY)],
            ..op(
                "post",
                "/api/v1/join",
                "Exchange a one-time join code for a session cookie (walkbook_session) and the volunteer's campaign",
                Anyone,
                Body::Json(schema::<JoinRequest>(g)),
                Answer::Json(schema::<JoinResponse>(g)),
            )
        },
        op(
            "post",
            "/api/v1/sign-out",
            "End this phone's session (the phone then wipes what it holds); pushed records stay",
            Volunteer,
            Body::Empty,
            Answer::Nothing,
        ),
        Operation {
            refusals: &[(503, "The record writer is full or restarting: nothing was stored")],
            ..op(
                "post",
                "/api/v1/sync/push",
                "Store a phone's batch of records (at most 500 records and 1 MiB) durably; a result per record",
                Volunteer,
                Body::Json(schema::<PushRequest>(g)),
                Answer::Json(schema::<PushResponse>(g)),
            )
        },
        Operation {
            query: Some(query_schema::<PullQuery>(g)),
            ..op(
                "get",
                "/api/v1/sync/pull",
                "The campaign's records received after a cursor, oldest first, a page at a time (1,000 records, 2 MB)",
                Volunteer,
                Body::Empty,
                Answer::Json(schema::<PullResponse>(g)),
            )
        },
        Operation {
            refusals: &[(401, "The login code cannot be used: mistyped, used or expired"), (429, TOO_MANY)],
            ..op(
                "post",
                "/api/v1/coordinator/login",
                "Exchange a one-time coordinator login code for a session cookie (walkbook_coordinator)",
                Anyone,
                Body::Json(schema::<LoginRequest>(g)),
                Answer::Json(schema::<CoordinatorView>(g)),
            )
        },
        op("post", "/api/v1/coordinator/logout", "End this console session", Coordinator, Body::Empty, Answer::Nothing),
        op(
            "get",
            "/api/v1/coordinator/me",
            "The signed-in coordinator",
            Coordinator,
            Body::Empty,
            Answer::Json(schema::<CoordinatorView>(g)),
        ),
        op(
            "get",
            "/api/v1/coordinator/campaigns",
            "Campaigns this coordinator runs",
            Coordinator,
            Body::Empty,
            Answer::Json(schema::<Vec<CampaignSummary>>(g)),
        ),
        Operation {
            refusals: &[(409, "There is a campaign with this id")],
            ..op(
                "post",
                "/api/v1/coordinator/campaigns",
                "Create a campaign (standard household and shop forms, no territory yet)",
                Coordinator,
                Body::Json(schema::<CreateCampaign>(g)),
                Answer::Json(schema::<CampaignChanged>(g)),
            )
        },
        op(
            "get",
            "/api/v1/coordinator/campaigns/{campaign}",
            "The whole campaign (forms, buildings, doors)",
            Coordinator,
            Body::Empty,
            Answer::Json(schema::<CampaignBundle>(g)),
        ),
        Operation {
            refusals: &[(409, CHANGED)],
            ..op(
                "put",
                "/api/v1/coordinator/campaigns/{campaign}/territory",
                "Replace the territory from CSV: header 'building,entrance,floor,door' (a line per door) or \
                 'building,floors,doors_per_floor' (a line per building). UTF-8, BOM allowed, at most 16 MB. \
                 A bad file imports nothing; the error names each line and column.",
                Coordinator,
                Body::Csv,
                Answer::Json(schema::<CampaignChanged>(g)),
            )
        },
        Operation {
            refusals: &[(409, CHANGED)],
            ..op(
                "post",
                "/api/v1/coordinator/campaigns/{campaign}/forms",
                "Add a form or a new version of one (older versions stay)",
                Coordinator,
                Body::Json(schema::<Form>(g)),
                Answer::Json(schema::<CampaignChanged>(g)),
            )
        },
        Operation {
            query: Some(query_schema::<XlsFormQuery>(g)),
            refusals: &[(409, CHANGED)],
            ..op(
                "post",
                "/api/v1/coordinator/campaigns/{campaign}/forms/xlsform",
                "Add the next version of a form from an XLSForm (.xlsx): survey, choices and settings sheets. Answers the \
                 form and what was left out (warnings); dry_run=true stores nothing. What Walkbook cannot ask is refused, \
                 each problem named by sheet, row and column, and nothing is stored.",
                Coordinator,
                Body::Spreadsheet,
                Answer::Json(schema::<XlsFormImport>(g)),
            )
        },
        op(
            "get",
            "/api/v1/coordinator/campaigns/{campaign}/forms/{form}/xlsform",
            "The form's current version as an XLSForm (.xlsx) that imports back to the same form",
            Coordinator,
            Body::Empty,
            Answer::Spreadsheet,
        ),
        Operation {
            refusals: &[(409, CHANGED)],
            ..op(
                "patch",
                "/api/v1/coordinator/campaigns/{campaign}/settings",
                "Change the name, languages, fever threshold, data-at-risk hours or retention days",
                Coordinator,
                Body::Json(schema::<SettingsUpdate>(g)),
                Answer::Json(schema::<CampaignChanged>(g)),
            )
        },
        Operation {
            refusals: &[(409, "The campaign is already closed")],
            ..op(
                "post",
                "/api/v1/coordinator/campaigns/{campaign}/close",
                "Close the campaign: no new volunteers, territory or forms; phones erase it once sent; personal data erased retention_days later",
                Coordinator,
                Body::Empty,
                Answer::Json(schema::<CampaignClosed>(g)),
            )
        },
        Operation {
            refusals: &[(409, "The record was already corrected or voided, or the campaign's personal data is erased")],
            ..op(
                "post",
                "/api/v1/coordinator/campaigns/{campaign}/records/{record}/void",
                "Void a record made by mistake, with a reason: it no longer counts anywhere; phones learn it on their next pull",
                Coordinator,
                Body::Json(schema::<VoidRequest>(g)),
                Answer::Json(schema::<Record>(g)),
            )
        },
        op(
            "get",
            "/api/v1/coordinator/campaigns/{campaign}/volunteers",
            "Volunteers: buildings, last sync, records today, unsent records their phone reported",
            Coordinator,
            Body::Empty,
            Answer::Json(schema::<Vec<VolunteerSummary>>(g)),
        ),
        Operation {
            refusals: &[(409, CLOSED)],
            ..op(
                "post",
                "/api/v1/coordinator/campaigns/{campaign}/volunteers",
                "Invite a volunteer: a one-time join link and its QR code (SVG)",
                Coordinator,
                Body::Json(schema::<InviteRequest>(g)),
                Answer::Json(schema::<InviteResponse>(g)),
            )
        },
        op(
            "delete",
            "/api/v1/coordinator/campaigns/{campaign}/volunteers/{volunteer}",
            "Revoke a volunteer: their phone gets 401 and keeps its unsent records",
            Coordinator,
            Body::Empty,
            Answer::Json(schema::<Vec<VolunteerSummary>>(g)),
        ),
        op(
            "put",
            "/api/v1/coordinator/campaigns/{campaign}/volunteers/{volunteer}/buildings",
            "Assign buildings (none: the whole campaign)",
            Coordinator,
            Body::Json(schema::<AssignRequest>(g)),
            Answer::Json(schema::<Vec<VolunteerSummary>>(g)),
        ),
        op(
            "get",
            "/api/v1/coordinator/campaigns/{campaign}/coverage",
            "Coverage by building and floor, doors never visited, revisits due",
            Coordinator,
            Body::Empty,
            Answer::Json(schema::<CoverageReport>(g)),
        ),
        op(
            "get",
            "/api/v1/coordinator/campaigns/{campaign}/alerts",
            "Fever readings, red codes, overdue checks and phones whose unsent records are at risk, newest first",
            Coordinator,
            Body::Empty,
            Answer::Json(schema::<Vec<AlertView>>(g)),
        ),
        op(
            "post",
            "/api/v1/coordinator/campaigns/{campaign}/alerts/{alert}/handled",
            "Mark an alert handled (by whom, when)",
            Coordinator,
            Body::Empty,
            Answer::Json(schema::<Vec<AlertView>>(g)),
        ),
        Operation {
            query: Some(query_schema::<ExportQuery>(g)),
            refusals: &[(422, "A date or building cannot be used")],
            ..op(
                "get",
                "/api/v1/coordinator/campaigns/{campaign}/exports/{file}",
                "CSV export, UTF-8 with BOM, ISO 8601 times: doors.csv (latest visit per door), shops.csv, people.csv (the register), \
                 checks.csv (temperature checks), needs.csv (needs of households in quarantine), visitors.csv (entries at the gates), audit.csv (corrections and voids)",
                Coordinator,
                Body::Empty,
                Answer::Csv,
            )
        },
        op(
            "get",
            "/api/v1/coordinator/campaigns/{campaign}/print/buildings/{building}",
            "A building's paper sheet: its doors floor by floor, status now and boxes to fill in, a printable A4 page",
            Coordinator,
            Body::Empty,
            Answer::Page("text/html"),
        ),
        Operation {
            query: Some(query_schema::<NeedsQuery>(g)),
            ..op(
                "get",
                "/api/v1/coordinator/campaigns/{campaign}/needs",
                "Needs of households in quarantine (groceries, medicine, ...) with their door, person and status, oldest first",
                Coordinator,
                Body::Empty,
                Answer::Json(schema::<Vec<NeedView>>(g)),
            )
        },
        Operation {
            query: Some(query_schema::<DailyQuery>(g)),
            refusals: &[(422, "The date is not a real day, or has not started yet")],
            ..op(
                "get",
                "/api/v1/coordinator/campaigns/{campaign}/reports/daily",
                "The daily report: a day's figures in the campaign's time zone, in total and by building",
                Coordinator,
                Body::Empty,
                Answer::Json(schema::<DailyReport>(g)),
            )
        },
        Operation {
            query: Some(query_schema::<DailyQuery>(g)),
            refusals: &[(422, "The date is not a real day, or has not started yet")],
            ..op(
                "get",
                "/api/v1/coordinator/campaigns/{campaign}/reports/daily.html",
                "The daily report as a printable A4 page in the campaign's first language, with a table by building",
                Coordinator,
                Body::Empty,
                Answer::Page("text/html"),
            )
        },
        op("get", "/api/v1/print.css", "The printable pages' A4 layout", Anyone, Body::Empty, Answer::Page("text/css")),
    ];
    operations.sort_by_key(|operation| (operation.path, operation.method));
    operations
}

const TOO_MANY: &str = "Too many attempts: retry after Retry-After seconds";
const CHANGED: &str = "The campaign changed meanwhile: reload it and make the change again";
const CLOSED: &str = "The campaign is closed: it takes no new volunteers";

/// The OpenAPI operation object of `operation`.
fn describe(operation: &Operation, error: &Value) -> Value {
    let mut refusals: Vec<(u16, &str)> = vec![(408, "The request took longer than 60 s"), (500, "The server failed; nothing changed")];
    let mut parameters = Vec::new();
    for name in operation.path.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(name, _)| name) {
        let schema = match name {
            "file" => json!({ "type": "string", "enum": EXPORTS }),
            _ => json!({ "type": "string", "minLength": 1, "maxLength": MAX_ID_CHARS }),
        };
        parameters.push(json!({ "name": name, "in": "path", "required": true, "schema": schema }));
    }
    if !parameters.is_empty() {
        refusals.push((404, "No such campaign among yours (or no such volunteer, alert, record, building or export in it)"));
    }
    if let Some(query) = &operation.query {
        let required: Vec<&str> = query["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        for (name, schema) in query["properties"].as_object().into_iter().flatten() {
            let mut schema = schema.clone();
            let description = schema.as_object_mut().and_then(|s| s.remove("description"));
            let mut parameter = json!({ "name": name, "in": "query", "required": required.contains(&name.as_str()), "schema": schema });
            if let Some(description) = description {
                parameter["description"] = description;
            }
            parameters.push(parameter);
        }
        refusals.push((400, "The query cannot be read"));
    }
    match operation.caller {
        Caller::Anyone => {}
        Caller::Volunteer => refusals.push((401, "No session, or one that ended: join again")),
        Caller::Coordinator => {
            refusals.push((401, "No coordinator session, or one that ended"));
            refusals.push((403, "A volunteer's session: coordinators only"));
        }
    }
    let request_body = match &operation.body {
        Body::Empty => None,
        Body::Json(schema) => {
            refusals.extend([
                (400, "The body is not JSON"),
                (413, "The body is larger than this operation takes"),
                (415, "The body is not sent as application/json"),
                (422, "The body does not have this operation's shape, or a rule refuses it (the message says which)"),
            ]);
            Some(json!({ "required": true, "content": { "application/json": { "schema": schema } } }))
        }
        Body::Csv => {
            refusals.extend([
                (400, "The body is not UTF-8 text"),
                (413, "The body is larger than 16 MB"),
                (422, "The file has problems: each is named by line and column"),
            ]);
            let schema = json!({ "type": "string", "maxLength": MAX_TERRITORY_CSV_BYTES });
            Some(json!({ "required": true, "content": { "text/csv": { "schema": schema } } }))
        }
        Body::Spreadsheet => {
            refusals.extend([
                (413, "The file is larger than 10 MB"),
                (415, "The body is not sent as a spreadsheet (.xlsx, .xls) or as untyped bytes"),
                (
                    422,
                    "The file is not a spreadsheet that can be read (damaged, empty, another format, unpacks past 100 MB), \
                     or the XLSForm has problems: error.problems names each by sheet, row and column",
                ),
            ]);
            // The same bytes may come typed as the older .xls or untyped (a browser that could not tell).
            let schema = json!({ "type": "string", "format": "binary", "maxLength": MAX_XLSFORM_BYTES });
            let content: Map<String, Value> = [XLSX, "application/vnd.ms-excel", "application/octet-stream"]
                .iter()
                .map(|t| (t.to_string(), json!({ "schema": schema })))
                .collect();
            Some(json!({ "required": true, "content": content }))
        }
    };
    refusals.extend(operation.refusals.iter().copied());
    let mut responses = Map::new();
    let success = match &operation.answer {
        Answer::Json(schema) => json!({ "description": "Done", "content": { "application/json": { "schema": schema } } }),
        Answer::Csv => json!({ "description": "The file", "content": { "text/csv": { "schema": { "type": "string" } } } }),
        Answer::Page(media_type) => json!({ "description": "The page", "content": { *media_type: { "schema": { "type": "string" } } } }),
        Answer::Spreadsheet => {
            json!({ "description": "The file", "content": { XLSX: { "schema": { "type": "string", "format": "binary" } } } })
        }
        Answer::Nothing => json!({ "description": "Done" }),
    };
    responses.insert(operation.status.to_string(), success);
    for (status, description) in refusals {
        let response = responses
            .entry(status.to_string())
            .or_insert_with(|| json!({ "description": "", "content": { "application/json": { "schema": error.clone() } } }));
        let said = response["description"].as_str().unwrap_or_default();
        response["description"] = Value::from(if said.is_empty() { description.to_string() } else { format!("{said}; {description}") });
        if matches!(status, 429 | 503) {
            response["headers"] = json!({ "Retry-After": { "schema": { "type": "integer", "minimum": 1 } } });
        }
    }
    let mut described = json!({ "summary": operation.summary, "responses": responses });
    if !parameters.is_empty() {
        described["parameters"] = Value::Array(parameters);
    }
    if let Some(body) = request_body {
        described["requestBody"] = body;
    }
    match operation.caller {
        Caller::Anyone => {}
        Caller::Volunteer => described["security"] = json!([{ "session": [] }]),
        Caller::Coordinator => described["security"] = json!([{ "coordinator": [] }]),
    }
    described
}
