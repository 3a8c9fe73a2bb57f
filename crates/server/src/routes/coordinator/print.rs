//! Printable A4 pages in the campaign's first language: the layout they
//! share, and paper sheets for long outages, when phones are dead: a
//! building's doors floor by floor, each with its status now and boxes to
//! fill in by hand, to type in once a phone works again.

use std::collections::HashMap;
use std::fmt::Write;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use walkbook_core::dates::{iso_8601, LocalTime};
use walkbook_core::lang::Lang;
use walkbook_core::record::{DoorState, Outcome};

use crate::auth::{shown_id, Coordinator};
use crate::campaigns::now_ms;
use crate::error::ApiError;
use crate::AppState;

/// `GET /api/v1/coordinator/campaigns/{campaign}/print/buildings/{building}`.
pub async fn print_building(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path((campaign_id, building_id)): Path<(String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    let campaign = &index.bundle.campaign;
    let Some(building) = campaign.building(&building_id) else {
        return Err(ApiError::not_found(format!("Campaign {campaign_id} has no building '{}'.", shown_id(&building_id))));
    };
    // Each visited door's picked outcome and when, as the console counts them.
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT door_id, outcome, device_time FROM door_status WHERE campaign_id = $1 AND building_id = $2")
            .bind(&campaign_id)
            .bind(&building_id)
            .fetch_all(&state.db)
            .await?;
    let mut picked: HashMap<String, (Outcome, i64)> = HashMap::new();
    for (door_id, outcome, at) in rows {
        let outcome = serde_json::from_str(&outcome).map_err(|e| ApiError::Internal(format!("stored outcome: {e}")))?;
        picked.insert(door_id, (outcome, at));
    }
    let lang = campaign.languages.first().copied().unwrap_or(Lang::ZhHans);
    let words = Words::of(lang);
    let offset = campaign.settings.utc_offset_minutes;
    let mut page = page_start(lang, &format!("{} · {}", campaign.name.get(lang), building.name.get(lang)));
    let _ = write!(
        page,
        "<p class=\"printed\">{} {}</p><p class=\"how\">{}</p>",
        words.printed,
        escape(&LocalTime::at(now_ms(), offset).date()),
        words.how,
    );
    let boxes: String = words.outcomes.iter().map(|outcome| format!("<span class=\"box\">☐ {outcome}</span>")).collect();
    for (_, floor, doors) in walkbook_core::console::doors_in_order(&index.bundle).into_iter().filter(|(b, _, _)| b.id == building.id) {
        let _ = write!(
            page,
            "<section class=\"floor\" data-floor=\"{floor}\"><h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            words.floor.replace("{n}", &floor.to_string()),
            words.door,
            words.now,
            words.outcome,
            words.people,
        );
        for door in doors {
            let now = match picked.get(&door.id) {
                None => words.states[0].to_string(),
                Some((outcome, at)) => {
                    let state = match DoorState::of(Some(outcome)) {
                        DoorState::Unvisited => words.states[0],
                        DoorState::Revisit => words.states[1],
                        DoorState::Final => words.states[2],
                    };
                    format!(
                        "{state}<br><small>{} · {}</small>",
                        outcome_word(&words, outcome),
                        escape(&iso_8601(*at, offset)[..16].replace('T', " "))
                    )
                }
            };
            let _ = write!(
                page,
                "<tr data-door=\"{}\"><td class=\"label\">{}</td><td>{now}</td><td class=\"boxes\">{boxes}</td><td class=\"write\"></td></tr>",
                escape(&door.id),
                escape(&door.label),
            );
        }
        page.push_str("</tbody></table></section>");
    }
    page.push_str("</body></html>");
    tracing::info!(target: "audit", coordinator = %coordinator.id, campaign = %campaign_id, building = %building_id, "paper sheet printed");
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page))
}

/// `GET /api/v1/print.css`: the printable pages' A4 layout (a file, as the CSP
/// allows no inline style).
pub async fn print_css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], PRINT_CSS)
}

const PRINT_CSS: &str = "@page { size: A4; margin: 12mm; }
body { font-family: system-ui, 'Noto Sans CJK SC', sans-serif; font-size: 11pt; color: #000; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 4mm 0 1mm; }
.printed, .how { margin: 0 0 2mm; }
.floor { break-inside: avoid; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 1.5mm; vertical-align: top; text-align: left; }
td.label { font-weight: bold; white-space: nowrap; }
td.boxes { width: 38%; }
.box { display: inline-block; margin-right: 3mm; white-space: nowrap; }
td.write { width: 34%; height: 14mm; }
td.figure, th.figure { text-align: right; }
.totals { width: auto; min-width: 50%; margin-bottom: 4mm; }
";

fn outcome_word<'a>(words: &Words<'a>, outcome: &Outcome) -> &'a str {
    let at = match outcome {
        Outcome::Answered => 0,
        Outcome::NotHome => 1,
        Outcome::Refused => 2,
        Outcome::Vacant => 3,
        Outcome::NoAccess => 4,
        Outcome::ComeBack { .. } => 5,
        Outcome::Moved => 6,
    };
    words.outcomes[at]
}

/// A printable page's head in `lang`, its body opened with `title` as its
/// heading; the caller closes it with `</body></html>`.
pub(super) fn page_start(lang: Lang, title: &str) -> String {
    let title = escape(title);
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/api/v1/print.css\"><link rel=\"icon\" href=\"/icons/icon-192.png\"></head><body>\
         <h1>{title}</h1>",
        lang.tag(),
    )
}

/// `&`, `<`, `>` and `"` as HTML entities: names and labels come from
/// coordinators' files.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The sheet's words in one language.
struct Words<'a> {
    printed: &'a str,
    how: &'a str,
    floor: &'a str,
    door: &'a str,
    now: &'a str,
    outcome: &'a str,
    people: &'a str,
    /// Not visited, revisit, done.
    states: [&'a str; 3],
    /// Answered, not home, refused, vacant, no access, come back, moved.
    outcomes: [&'a str; 7],
}

impl Words<'static> {
    fn of(lang: Lang) -> Words<'static> {
        match lang {
            Lang::ZhHans => Words {
                printed: "打印于",
                how: "每户勾选一个结果，写下住户和备注；手机恢复后再录入。",
                floor: "{n} 层",
                door: "门牌",
                now: "目前状态",
                outcome: "本次结果",
                people: "住户与备注",
                states: ["未走访", "需回访", "已完成"],
                outcomes: ["已登记", "无人在家", "拒绝", "空置", "无法进入", "约定回访", "已搬走"],
            },
            Lang::ZhHant => Words {
                printed: "列印於",
                how: "每戶勾選一個結果，寫下住戶和備註；手機恢復後再輸入。",
                floor: "{n} 層",
                door: "門牌",
                now: "目前狀態",
                outcome: "本次結果",
                people: "住戶與備註",
                states: ["未走訪", "需回訪", "已完成"],
                outcomes: ["已登記", "無人在家", "拒絕", "空置", "無法進入", "約定回訪", "已搬走"],
            },
            Lang::En => Words {
                printed: "Printed",
                how: "Tick one outcome per door and write the people and notes; type them in when a phone works again.",
                floor: "Floor {n}",
                door: "Door",
                now: "Status now",
                outcome: "Outcome",
                people: "People and notes",
                states: ["Not visited", "Revisit", "Done"],
                outcomes: ["Answered", "Not home", "Refused", "Vacant", "No access", "Come back", "Moved"],
            },
            Lang::Ko => Words {
                printed: "인쇄일",
                how: "세대마다 결과 하나에 표시하고 주민과 메모를 적으세요. 휴대폰이 되면 입력합니다.",
                floor: "{n}층",
                door: "호수",
                now: "현재 상태",
                outcome: "결과",
                people: "주민과 메모",
                states: ["미방문", "재방문 필요", "완료"],
                outcomes: ["응답함", "부재중", "거부", "공실", "출입 불가", "재방문 약속", "이사함"],
            },
        }
    }
}
