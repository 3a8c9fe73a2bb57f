//! The daily report to the street office: a day's figures as JSON, and the
//! same as a printable A4 page with a row per building.

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use walkbook_core::dates::{day_of_date, iso_8601, LocalTime};
use walkbook_core::lang::Lang;
use walkbook_core::report::{daily_report, figure_labels, DailyReport};

use crate::auth::Coordinator;
use crate::campaigns::{now_ms, CampaignIndex};
use crate::error::ApiError;
use crate::AppState;

use super::print::{escape, page_start};
use super::{campaign_records, off_the_runtime};

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DailyQuery {
    /// The day, `YYYY-MM-DD` in the campaign's time zone; today if absent.
    date: Option<String>,
}

/// `GET /api/v1/coordinator/campaigns/{campaign}/reports/daily`.
pub async fn daily(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
    query: Result<Query<DailyQuery>, QueryRejection>,
) -> Result<Json<DailyReport>, ApiError> {
    Ok(Json(report(&state, &coordinator, &campaign_id, query).await?.1))
}

/// `GET /api/v1/coordinator/campaigns/{campaign}/reports/daily.html`.
pub async fn daily_html(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
    query: Result<Query<DailyQuery>, QueryRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let (index, report) = report(&state, &coordinator, &campaign_id, query).await?;
    let campaign = &index.bundle.campaign;
    let lang = campaign.languages.first().copied().unwrap_or(Lang::ZhHans);
    let words = Words::of(lang);
    let mut page = page_start(lang, &format!("{} · {} {}", campaign.name.get(lang), words.title, report.date));
    let made = iso_8601(now_ms(), campaign.settings.utc_offset_minutes);
    let _ = write!(page, "<p class=\"printed\">{} {}</p>", words.made, escape(&made[..16].replace('T', " ")));
    if !report.day_over {
        let _ = write!(page, "<p class=\"how\" id=\"day-running\">{}</p>", words.running);
    }
    page.push_str("<table class=\"totals\"><tbody>");
    let labels = figure_labels(lang);
    for ((name, value), label) in report.totals.named().into_iter().zip(labels) {
        let _ = write!(page, "<tr><th>{label}</th><td class=\"figure\" data-figure=\"{name}\">{value}{}</td></tr>", percent(name));
    }
    let _ = write!(page, "</tbody></table><h2>{}</h2><table><thead><tr><th>{}</th>", words.by_building, words.building);
    for label in labels {
        let _ = write!(page, "<th class=\"figure\">{label}</th>");
    }
    page.push_str("</tr></thead><tbody>");
    for row in &report.buildings {
        let _ = write!(page, "<tr data-building=\"{}\"><td class=\"label\">{}</td>", escape(&row.building_id), escape(row.name.get(lang)));
        for (name, value) in row.figures.named() {
            let _ = write!(page, "<td class=\"figure\" data-figure=\"{name}\">{value}{}</td>", percent(name));
        }
        page.push_str("</tr>");
    }
    page.push_str("</tbody></table></body></html>");
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page))
}

/// The campaign and the report of the query's day, checked: a real date,
/// not after today.
async fn report(
    state: &AppState,
    coordinator: &Coordinator,
    campaign_id: &str,
    query: Result<Query<DailyQuery>, QueryRejection>,
) -> Result<(Arc<CampaignIndex>, DailyReport), ApiError> {
    let Query(query) = query.map_err(|rejection| ApiError::bad_request("invalid_query", rejection.body_text()))?;
    let index = coordinator.campaign(state, campaign_id).await?;
    let now = now_ms();
    let today = LocalTime::at(now, index.bundle.campaign.settings.utc_offset_minutes);
    let date = query.date.unwrap_or_else(|| today.date());
    match day_of_date(&date) {
        None => return Err(ApiError::unprocessable("invalid_query", format!("'date' must be a date YYYY-MM-DD, not '{date}'"))),
        Some(day) if day > today.day => {
            return Err(ApiError::unprocessable("invalid_query", format!("{date} has not started yet in the campaign's time zone")))
        }
        Some(_) => {}
    }
    let records = campaign_records(state, campaign_id).await?;
    let bundle = index.bundle.clone();
    let report = off_the_runtime(move || daily_report(&bundle, &records, &date, now)).await?;
    tracing::info!(target: "audit", coordinator = %coordinator.id, campaign = %campaign_id, "daily report made");
    let report = report.ok_or_else(|| ApiError::Internal("a checked date was refused".into()))?;
    Ok((index, report))
}

/// The unit a figure is printed with.
fn percent(name: &str) -> &'static str {
    if name == "coverage_percent" {
        " %"
    } else {
        ""
    }
}

/// The page's words in one language.
struct Words {
    title: &'static str,
    made: &'static str,
    running: &'static str,
    by_building: &'static str,
    building: &'static str,
}

impl Words {
    fn of(lang: Lang) -> Words {
        match lang {
            Lang::ZhHans => Words {
                title: "每日报告",
                made: "生成于",
                running: "当天尚未结束，数字还会增加。",
                by_building: "按楼栋",
                building: "楼栋",
            },
            Lang::ZhHant => Words {
                title: "每日報告",
                made: "產生於",
                running: "當天尚未結束，數字還會增加。",
                by_building: "按樓棟",
                building: "樓棟",
            },
            Lang::En => Words {
                title: "Daily report",
                made: "Made",
                running: "The day is not over: these figures can still grow.",
                by_building: "By building",
                building: "Building",
            },
            Lang::Ko => Words {
                title: "일일 보고",
                made: "작성",
                running: "하루가 끝나지 않아 수치가 더 늘 수 있습니다.",
                by_building: "건물별",
                building: "건물",
            },
        }
    }
}
