//! `/coordinator`: signs in (a login link carries `#login=<code>`), lists
//! the coordinator's campaigns and creates one.

use leptos::prelude::*;
use walkbook_core::console::{CampaignChanged, CampaignSummary, CoordinatorView, CreateCampaign, LoginRequest};
use walkbook_core::labels::Labels;

use crate::text::ConsoleText;
use walkbook_app::http::{get_json, post_json, HttpError};
use walkbook_app::i18n::use_i18n;

/// A request's failure, said plainly (the server's message when it sent one).
#[component]
pub fn HttpProblem(#[prop(into)] error: Signal<Option<HttpError>>) -> impl IntoView {
    move || error.get().map(|error| view! { <p class="error" role="alert">{error.to_string()}</p> })
}

/// Why the console cannot show the signed-in coordinator.
#[derive(Clone)]
enum Unsigned {
    /// The login link in the address was refused (used, expired): said so.
    LoginRefused(HttpError),
    /// Asking who is signed in failed; 401 means nobody is.
    Failed(HttpError),
}

#[component]
pub fn ConsoleHomeScreen() -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0u32);
    // Sign in first if the address carries a login code, then ask who we are.
    // A refused login link is said as the server says it (used, expired);
    // any other 401 means "not signed in".
    let me = LocalResource::new(move || {
        refresh.track();
        async move {
            if let Some(code) = login_code_in_address() {
                let _ = window().history().map(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/coordinator")));
                post_json::<_, CoordinatorView>("/api/v1/coordinator/login", &LoginRequest { code })
                    .await
                    .map_err(Unsigned::LoginRefused)?;
            }
            let signed_in = async {
                let me: CoordinatorView = get_json("/api/v1/coordinator/me").await?;
                let campaigns: Vec<CampaignSummary> = get_json("/api/v1/coordinator/campaigns").await?;
                Ok::<_, HttpError>((me, campaigns))
            };
            signed_in.await.map_err(Unsigned::Failed)
        }
    });
    view! {
        <section class="card console" id="console-home">
            <h1>{move || i18n.t(ConsoleText::ConsoleTitle)}</h1>
            {move || me.get().map(|result| match result {
                Err(Unsigned::Failed(HttpError::Status { status: 401, .. })) => view! {
                    <p class="hint" id="console-sign-in">{move || i18n.t(ConsoleText::ConsoleSignIn)}</p>
                }.into_any(),
                Err(Unsigned::LoginRefused(error) | Unsigned::Failed(error)) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                Ok((me, campaigns)) => view! {
                    <p class="muted" id="console-who">{me.name}</p>
                    <h2>{move || i18n.t(ConsoleText::ConsoleCampaigns)}</h2>
                    <ul class="link-list" id="console-campaigns">
                        {campaigns.into_iter().map(|campaign| view! {
                            <li>
                                <a class="list-link" href=format!("/coordinator/c/{}", campaign.id) data-campaign=campaign.id.clone()>
                                    <strong>{let name = campaign.name.clone(); move || name.get(i18n.lang.get()).to_string()}</strong>
                                    <span>{format!("{} · {} {}", campaign.id, campaign.doors, i18n.t(ConsoleText::Doors))}</span>
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                    <CreateCampaignForm on_created=Callback::new(move |_| refresh.update(|n| *n += 1))/>
                }.into_any(),
            })}
        </section>
    }
}

fn login_code_in_address() -> Option<String> {
    let hash = window().location().hash().ok()?;
    hash.strip_prefix("#login=").map(str::to_string).filter(|code| !code.is_empty())
}

#[component]
fn CreateCampaignForm(on_created: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<HttpError>);
    let create = move |_| {
        let request = CreateCampaign {
            id: id.get_untracked().trim().to_string(),
            name: Labels::same(name.get_untracked().trim()),
            languages: None,
            fever_threshold_c: None,
        };
        leptos::task::spawn_local(async move {
            match post_json::<_, CampaignChanged>("/api/v1/coordinator/campaigns", &request).await {
                Ok(_) => {
                    error.set(None);
                    on_created.run(());
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <h2>{move || i18n.t(ConsoleText::CreateCampaign)}</h2>
        <label class="question-label" for="new-campaign-id">{move || i18n.t(ConsoleText::CampaignId)}</label>
        <input id="new-campaign-id" class="field" autocomplete="off" on:input=move |ev| id.set(event_target_value(&ev))/>
        <label class="question-label" for="new-campaign-name">{move || i18n.t(ConsoleText::CampaignName)}</label>
        <input id="new-campaign-name" class="field" on:input=move |ev| name.set(event_target_value(&ev))/>
        <HttpProblem error=error/>
        <button class="button button-primary wide" id="create-campaign" on:click=create>{move || i18n.t(ConsoleText::Create)}</button>
    }
}
