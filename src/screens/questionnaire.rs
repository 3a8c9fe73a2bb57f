//! A door's questionnaire: the relevant questions of the form, one input per
//! question kind, each with its problem under it after a save attempt.

use std::sync::Arc;

use leptos::prelude::*;
use walkbook_core::form::{Answer, Answers, CompiledForm, Problem, Question, QuestionKind};

use crate::i18n::{use_i18n, Text};

/// `on_answer` is called for every change, with the question id and the new
/// answer (`None` when cleared); the caller keeps `answers` and the draft.
#[component]
pub fn Questionnaire(
    form: Arc<CompiledForm>,
    answers: RwSignal<Answers>,
    #[prop(into)] problems: Signal<Vec<Problem>>,
    on_answer: Callback<(String, Option<Answer>)>,
    today: String,
) -> impl IntoView {
    form.form
        .questions
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let form = form.clone();
            let today = today.clone();
            let relevant = move || answers.with(|a| form.is_relevant(index, a, &today));
            let question = question.clone();
            view! {
                <Show when=relevant.clone()>
                    <QuestionField question=question.clone() answers=answers problems=problems on_answer=on_answer/>
                </Show>
            }
        })
        .collect_view()
}

#[component]
fn QuestionField(
    question: Question,
    answers: RwSignal<Answers>,
    problems: Signal<Vec<Problem>>,
    on_answer: Callback<(String, Option<Answer>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = question.id.clone();
    let problem_id = id.clone();
    let problem = Signal::derive(move || {
        problems.with(|all| all.iter().find(|p| p.question_id == problem_id).map(|p| p.kind.message(i18n.lang.get())))
    });
    let label = question.label.clone();
    let required = question.required;
    let input_id = format!("q-{id}");
    view! {
        <div class="question" data-question=id.clone() data-invalid=move || problem.get().is_some().to_string()>
            <label class="question-label" for=input_id.clone()>
                {move || label.get(i18n.lang.get()).to_string()}
                {required.then(|| view! { <span class="required"> " (" {move || i18n.t(Text::RequiredMark)} ")"</span> })}
            </label>
            <QuestionInput question=question answers=answers on_answer=on_answer input_id=input_id/>
            {move || problem.get().map(|message| view! { <p class="problem" role="alert">{message}</p> })}
        </div>
    }
}

#[component]
fn QuestionInput(
    question: Question,
    answers: RwSignal<Answers>,
    on_answer: Callback<(String, Option<Answer>)>,
    input_id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = question.id.clone();
    let initial = answers.with_untracked(|a| a.get(&id).cloned());
    let set = {
        let id = id.clone();
        move |answer: Option<Answer>| on_answer.run((id.clone(), answer))
    };
    match question.kind {
        QuestionKind::Integer | QuestionKind::Decimal | QuestionKind::Temperature => {
            let (mode, step) = match question.kind {
                QuestionKind::Integer => ("numeric", "1"),
                QuestionKind::Temperature => ("decimal", "0.1"),
                _ => ("decimal", "any"),
            };
            let value = match initial {
                Some(Answer::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            view! {
                <input id=input_id type="number" inputmode=mode step=step class="field" prop:value=value
                    on:input=move |ev| set(event_target_value(&ev).trim().parse::<f64>().ok().map(Answer::Number))/>
            }
            .into_any()
        }
        QuestionKind::Text => {
            let value = match initial {
                Some(Answer::Text(t)) => t,
                _ => String::new(),
            };
            view! {
                <textarea id=input_id class="field" rows="2" prop:value=value
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        set((!text.trim().is_empty()).then_some(Answer::Text(text)))
                    }></textarea>
            }
            .into_any()
        }
        QuestionKind::Date => {
            let value = match initial {
                Some(Answer::Text(t)) => t,
                _ => String::new(),
            };
            view! {
                <input id=input_id type="date" class="field" prop:value=value
                    on:input=move |ev| {
                        let date = event_target_value(&ev);
                        set((!date.is_empty()).then_some(Answer::Text(date)))
                    }/>
            }
            .into_any()
        }
        QuestionKind::YesNo => {
            let options = [(true, Text::Yes), (false, Text::No)];
            view! {
                <div class="choice-row" id=input_id role="group">
                    {options.into_iter().map(|(value, text)| {
                        let id = id.clone();
                        let set = set.clone();
                        let pressed = move || answers.with(|a| a.get(&id) == Some(&Answer::Bool(value))).to_string();
                        view! {
                            <button type="button" class="button choice" data-value=if value { "yes" } else { "no" }
                                aria-pressed=pressed on:click=move |_| set(Some(Answer::Bool(value)))>
                                {move || i18n.t(text)}
                            </button>
                        }
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
        QuestionKind::SingleChoice { choices } => choice_buttons(choices, false, id, answers, set, input_id),
        QuestionKind::MultipleChoice { choices } => choice_buttons(choices, true, id, answers, set, input_id),
    }
}

/// Buttons for a choice list: one pressed for single choice, any number for multiple.
fn choice_buttons(
    choices: Vec<walkbook_core::form::Choice>,
    multiple: bool,
    id: String,
    answers: RwSignal<Answers>,
    set: impl Fn(Option<Answer>) + Clone + Send + Sync + 'static,
    input_id: String,
) -> AnyView {
    let i18n = use_i18n();
    view! {
        <div class="choice-row" id=input_id role="group">
            {choices.into_iter().map(|choice| {
                let id = id.clone();
                let set = set.clone();
                let value = choice.value.clone();
                let chosen = {
                    let (id, value) = (id.clone(), value.clone());
                    move || answers.with(|a| match a.get(&id) {
                        Some(Answer::Text(v)) => *v == value,
                        Some(Answer::Choices(vs)) => vs.contains(&value),
                        _ => false,
                    })
                };
                let toggle = {
                    let chosen = chosen.clone();
                    move |_| {
                        let next = if multiple {
                            let mut values = answers.with_untracked(|a| match a.get(&id) {
                                Some(Answer::Choices(vs)) => vs.clone(),
                                _ => Vec::new(),
                            });
                            if chosen() { values.retain(|v| *v != value) } else { values.push(value.clone()) }
                            (!values.is_empty()).then_some(Answer::Choices(values))
                        } else {
                            Some(Answer::Text(value.clone()))
                        };
                        set(next)
                    }
                };
                let label = choice.label.clone();
                view! {
                    <button type="button" class="button choice" data-value=choice.value.clone()
                        aria-pressed=move || chosen().to_string() on:click=toggle>
                        {move || label.get(i18n.lang.get()).to_string()}
                    </button>
                }
            }).collect_view()}
        </div>
    }
    .into_any()
}
