//! A fresh campaign for the run, made as a coordinator makes one in the
//! console: sign in, create the campaign, import its territory, invite a
//! volunteer per phone (each assigned a building, a few the whole campaign).

use std::net::IpAddr;
use std::time::Duration;

use reqwest::{Client, Response, StatusCode};
use serde::de::DeserializeOwned;
use walkbook_core::campaign::CampaignBundle;
use walkbook_core::console::InviteResponse;

/// A client that speaks from `local` (each simulated phone has an address of
/// its own, as phones on a mobile network do: per-address limits and
/// throttles apply to each, not to the whole load). An idle connection is
/// dropped before the server's idle limit (`net::HEADER_READ`, 10 s): a
/// console polling every 10 s would otherwise now and then send on a
/// connection the server is closing, a race browsers hide by retrying and
/// reqwest reports as an error.
pub fn client(local: Option<IpAddr>) -> Client {
    Client::builder()
        .local_address(local)
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(2)
        .pool_idle_timeout(Duration::from_secs(5))
        .build()
        .expect("an http client")
}

/// The session cookie a sign-in answered with (`name=value`).
pub fn session_cookie(response: &Response) -> Result<String, String> {
    let header = response.headers().get(reqwest::header::SET_COOKIE).ok_or("no session cookie in the answer")?;
    let header = header.to_str().map_err(|e| e.to_string())?;
    Ok(header.split(';').next().unwrap_or_default().to_string())
}

/// The body of a 2xx answer as JSON, or what the server said.
pub async fn json_of<T: DeserializeOwned>(what: &str, response: Response) -> Result<T, String> {
    let status = response.status();
    if !status.is_success() {
        let body = response.text().await.unwrap_or_default();
        return Err(format!("{what}: {status} {}", body.chars().take(300).collect::<String>()));
    }
    response.json().await.map_err(|e| format!("{what}: {e}"))
}

/// The campaign as the coordinator made it, and one join code per phone.
pub struct Campaign {
    pub coordinator_cookie: String,
    /// Per phone: its join code and the building it works (none: all).
    pub invitations: Vec<(String, Option<String>)>,
    /// For the check at the end: a volunteer who sees the whole campaign.
    pub auditor_code: String,
}

pub struct Plan<'a> {
    pub server: &'a str,
    pub coordinator_code: &'a str,
    pub campaign_id: &'a str,
    pub buildings: u32,
    pub floors: u32,
    pub doors_per_floor: u32,
    pub phones: usize,
    /// How many phones see the whole campaign (team leaders); the others
    /// work one building each.
    pub whole_campaign_phones: usize,
}

pub async fn make_campaign(plan: &Plan<'_>) -> Result<Campaign, String> {
    let http = client(None);
    let server = plan.server;
    let login = http
        .post(format!("{server}/api/v1/coordinator/login"))
        .json(&serde_json::json!({ "code": plan.coordinator_code }))
        .send()
        .await
        .map_err(|e| format!("sign in: {e}"))?;
    if !login.status().is_success() {
        return Err(format!("sign in: {}", login.status()));
    }
    let cookie = session_cookie(&login)?;
    let campaigns = format!("{server}/api/v1/coordinator/campaigns");
    let created = http
        .post(&campaigns)
        .header("cookie", &cookie)
        .json(&serde_json::json!({ "id": plan.campaign_id, "name": { "en": format!("Load test {}", plan.campaign_id) } }))
        .send()
        .await
        .map_err(|e| format!("create the campaign: {e}"))?;
    json_of::<serde_json::Value>("create the campaign", created).await?;
    let mut territory = String::from("building,floors,doors_per_floor\n");
    for building in 1..=plan.buildings {
        territory.push_str(&format!("Block {building},{},{}\n", plan.floors, plan.doors_per_floor));
    }
    let campaign_url = format!("{campaigns}/{}", plan.campaign_id);
    let imported = http
        .put(format!("{campaign_url}/territory"))
        .header("cookie", &cookie)
        .header("content-type", "text/csv")
        .body(territory)
        .send()
        .await
        .map_err(|e| format!("import the territory: {e}"))?;
    json_of::<serde_json::Value>("import the territory", imported).await?;
    let bundle: CampaignBundle =
        json_of("read the campaign", http.get(&campaign_url).header("cookie", &cookie).send().await.map_err(|e| e.to_string())?).await?;
    let invite = |name: String, building: Option<String>| {
        let (http, cookie, url) = (http.clone(), cookie.clone(), format!("{campaign_url}/volunteers"));
        async move {
            let request = serde_json::json!({ "name": name, "buildings": building.iter().collect::<Vec<_>>() });
            let answer: InviteResponse =
                json_of("invite", http.post(url).header("cookie", cookie).json(&request).send().await.map_err(|e| e.to_string())?).await?;
            Ok::<_, String>((answer.code, building))
        }
    };
    let mut invitations = Vec::with_capacity(plan.phones);
    for phone in 0..plan.phones {
        let building =
            (phone >= plan.whole_campaign_phones).then(|| bundle.campaign.buildings[phone % bundle.campaign.buildings.len()].id.clone());
        invitations.push(invite(format!("Phone {phone}"), building).await?);
    }
    let (auditor_code, _) = invite("Auditor".into(), None).await?;
    Ok(Campaign { coordinator_cookie: cookie, invitations, auditor_code })
}

/// Whether the answer is a success; otherwise the error, named by what was
/// asked and how it failed.
pub fn failure(what: &str, answer: &Result<Response, reqwest::Error>) -> Option<String> {
    match answer {
        Ok(response) if response.status().is_success() => None,
        Ok(response) if response.status() == StatusCode::SERVICE_UNAVAILABLE => Some(format!("{what}: 503 busy")),
        Ok(response) => Some(format!("{what}: {}", response.status())),
        Err(error) if error.is_timeout() => Some(format!("{what}: timed out")),
        Err(error) if error.is_connect() => Some(format!("{what}: could not connect")),
        Err(_) => Some(format!("{what}: connection lost")),
    }
}

/// The JSON of a successful answer; or none, the failure counted in `stats`.
pub async fn answered<T: DeserializeOwned>(what: &str, answer: Result<Response, reqwest::Error>, stats: &crate::stats::Stats) -> Option<T> {
    if let Some(error) = failure(what, &answer) {
        stats.error(error);
        return None;
    }
    json_of(what, answer.expect("a success")).await.map_err(|error| stats.error(error)).ok()
}
