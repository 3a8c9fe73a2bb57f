use axum::Json;
use walkbook_core::campaign::CampaignBundle;

/// `GET /api/v1/demo/campaign`: the demo campaign a phone loads on first start
/// when it can reach the server (it carries an embedded copy otherwise).
pub async fn demo_campaign() -> Json<CampaignBundle> {
    Json(walkbook_core::demo::demo_campaign())
}
