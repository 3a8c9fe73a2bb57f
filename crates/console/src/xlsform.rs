//! XLSForm in and out: a coordinator picks a spreadsheet, sees the form as a
//! phone would draw it with what was left out of it and why, and stores it
//! as the form's next version; each current form downloads as an XLSForm.

use std::sync::Arc;

use leptos::prelude::*;
use walkbook_core::console::XlsFormImport;
use walkbook_core::form::{Answer, Answers, CompiledForm};
use wasm_bindgen::JsCast;

use crate::campaign::use_console;
use crate::text::ConsoleText;
use walkbook_app::door_status::local_today;
use walkbook_app::http::{send_body, HttpError};
use walkbook_app::i18n::use_i18n;
use walkbook_app::screens::questionnaire::{apply_answer, Questionnaire};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The file chosen in the XLSForm input, as a fetch body.
fn chosen_spreadsheet() -> Option<web_sys::File> {
    let input: web_sys::HtmlInputElement = document().get_element_by_id("xlsform-file")?.dyn_into().ok()?;
    input.files()?.get(0)
}

#[component]
pub fn XlsFormSection() -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let form_id = RwSignal::new("household".to_string());
    let preview = RwSignal::new(None::<Result<XlsFormImport, HttpError>>);
    let stored = RwSignal::new(None::<Result<XlsFormImport, HttpError>>);
    let send = move |dry_run: bool| {
        let id = form_id.get_untracked().trim().to_string();
        let url = console.api(&format!(
            "/forms/xlsform?form_id={}{}",
            js_sys::encode_uri_component(&id),
            if dry_run { "&dry_run=true" } else { "" }
        ));
        leptos::task::spawn_local(async move {
            let outcome = match chosen_spreadsheet() {
                None => Err(HttpError::Unreadable(i18n.t(ConsoleText::ChooseFile).into())),
                Some(file) => send_body::<XlsFormImport>("POST", &url, XLSX, &file).await,
            };
            if dry_run {
                stored.set(None);
                preview.set(Some(outcome));
            } else {
                if outcome.is_ok() {
                    preview.set(None);
                    console.changed();
                }
                stored.set(Some(outcome));
            }
        });
    };
    let current_forms = move || {
        let bundle = console.bundle.get()?;
        // Each form once (its versions are not next to each other in the list).
        let mut ids: Vec<String> = bundle.campaign.forms.iter().map(|f| f.id.clone()).collect();
        ids.sort();
        ids.dedup();
        Some(ids.into_iter().filter_map(move |id| bundle.campaign.current_form(&id).map(|f| (f.id.clone(), f.version))).collect::<Vec<_>>())
    };
    view! {
        <section class="card" id="console-xlsform">
            <h2>{move || i18n.t(ConsoleText::ImportXlsForm)}</h2>
            <p class="hint">{move || i18n.t(ConsoleText::XlsFormHelp)}</p>
            <label class="question-label" for="xlsform-form-id">{move || i18n.t(ConsoleText::FormId)}</label>
            <input id="xlsform-form-id" class="field" autocomplete="off" list="xlsform-form-ids" prop:value=move || form_id.get()
                on:input=move |ev| form_id.set(event_target_value(&ev))/>
            <datalist id="xlsform-form-ids">
                {move || current_forms().unwrap_or_default().into_iter().map(|(id, _)| view! { <option value=id/> }).collect_view()}
            </datalist>
            <input id="xlsform-file" class="field" type="file" accept=".xlsx,.xls,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>
            <button class="button wide" id="preview-xlsform" on:click=move |_| send(true)>{move || i18n.t(ConsoleText::Preview)}</button>
            {move || preview.get().map(|outcome| match outcome {
                Ok(imported) => view! { <XlsFormPreview imported=imported on_store=Callback::new(move |_| send(false))/> }.into_any(),
                Err(error) => view! { <ImportProblems error=error/> }.into_any(),
            })}
            {move || stored.get().map(|outcome| match outcome {
                Ok(imported) => view! {
                    <p class="notice" id="xlsform-stored" role="status" data-version=imported.form.version>
                        "✓ " {move || i18n.t(ConsoleText::ChangesSaved)} {format!(" · {} v{}", imported.form.id, imported.form.version)}
                    </p>
                }.into_any(),
                Err(error) => view! { <ImportProblems error=error/> }.into_any(),
            })}
            <h3>{move || i18n.t(ConsoleText::DownloadXlsForm)}</h3>
            <div class="link-list" id="xlsform-downloads">
                {move || current_forms().unwrap_or_default().into_iter().map(|(id, version)| view! {
                    <a class="button" data-form=id.clone() href=console.api(&format!("/forms/{id}/xlsform")) download>
                        {format!("⤓ {id} v{version} (.xlsx)")}
                    </a>
                }).collect_view()}
            </div>
        </section>
    }
}

/// The imported form as a phone draws it (answers go nowhere), what was
/// left out, and the button that stores it.
#[component]
fn XlsFormPreview(imported: XlsFormImport, on_store: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let compiled = CompiledForm::compile(imported.form.clone()).ok().map(Arc::new);
    let answers = RwSignal::new(Answers::new());
    let on_answer = Callback::new(move |change: (String, Option<Answer>)| answers.update(|all| apply_answer(all, change)));
    let title = imported.form.title.clone();
    view! {
        <div id="xlsform-preview" data-version=imported.form.version>
            {(!imported.warnings.is_empty()).then(|| view! {
                <p class="question-label">{move || i18n.t(ConsoleText::LeftOut)}</p>
                <ul id="xlsform-warnings">{imported.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}</ul>
            })}
            <p class="question-label">{move || i18n.t(ConsoleText::AsAPhoneShowsIt)}</p>
            <div class="phone-preview" lang=move || i18n.lang.get().tag()>
                <h3>{move || title.get(i18n.lang.get()).to_string()}</h3>
                {compiled.map(|form| view! {
                    <Questionnaire form=form answers=answers problems=Signal::derive(Vec::new) on_answer=on_answer today=local_today()
                        id_prefix="preview-".to_string()/>
                })}
            </div>
            <button class="button button-primary wide" id="store-xlsform" on:click=move |_| on_store.run(())>
                {move || format!("{} (v{})", i18n.t(ConsoleText::StoreForm), imported.form.version)}
            </button>
        </div>
    }
}

/// A refused file: the server's message, and each problem on a line of its own.
#[component]
fn ImportProblems(error: HttpError) -> impl IntoView {
    let problems = match &error {
        HttpError::Status { problems, .. } => problems.clone(),
        _ => Vec::new(),
    };
    let message = match (&error, problems.is_empty()) {
        (HttpError::Status { message, .. }, false) => message.split(". ").next().unwrap_or(message).to_string(),
        _ => error.to_string(),
    };
    view! {
        <div class="error" id="xlsform-problems" role="alert">
            <p>{message}</p>
            <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
        </div>
    }
}
