//! A door's questionnaire: the relevant questions of the form, one input per
//! question kind, each with its problem under it after a save attempt. A
//! repeat group (the household's people) is a list of cards, each card the
//! group's questions over that entry's answers.

use std::sync::Arc;

use leptos::prelude::*;
use walkbook_core::form::{Answer, Answers, CompiledForm, Entry, Problem, Question, QuestionKind};

use crate::i18n::{use_i18n, Text};

/// `on_answer` is called for every change, with the question id and the new
/// answer (`None` when cleared); the caller keeps `answers` and the draft.
/// `id_prefix` keeps input ids unique when questionnaires repeat on a page.
#[component]
pub fn Questionnaire(
    form: Arc<CompiledForm>,
    answers: RwSignal<Answers>,
    #[prop(into)] problems: Signal<Vec<Problem>>,
    on_answer: Callback<(String, Option<Answer>)>,
    today: String,
    #[prop(optional)] id_prefix: String,
) -> impl IntoView {
    form.form
        .questions
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let relevant = {
                let (form, today) = (form.clone(), today.clone());
                move || answers.with(|a| form.is_relevant(index, a, &today))
            };
            let group = form.group(index).cloned().map(Arc::new);
            let (question, today) = (question.clone(), today.clone());
            let input_id = format!("q-{id_prefix}{}", question.id);
            let is_note = question.kind == QuestionKind::Note;
            view! {
                <Show when=relevant>
                    {match group.clone() {
                        _ if is_note => view! { <NoteField question=question.clone()/> }.into_any(),
                        Some(group) => view! {
                            <RosterField question=question.clone() group=group answers=answers
                                problems=problems on_answer=on_answer today=today.clone()/>
                        }
                        .into_any(),
                        None => view! {
                            <QuestionField question=question.clone() answers=answers problems=problems
                                on_answer=on_answer input_id=input_id.clone()/>
                        }
                        .into_any(),
                    }}
                </Show>
            }
        })
        .collect_view()
}

/// Puts one change from `Questionnaire::on_answer` into `answers`.
pub fn apply_answer(answers: &mut Answers, (question_id, answer): (String, Option<Answer>)) {
    match answer {
        Some(answer) => {
            answers.insert(question_id, answer);
        }
        None => {
            answers.remove(&question_id);
        }
    }
}

/// A repeat group as cards, one per entry, with "add" and "remove". Each
/// card keeps its entry's answers in its own signal; every change sends the
/// whole group up as one answer. Entry ids are made here and never change.
#[component]
fn RosterField(
    question: Question,
    group: Arc<CompiledForm>,
    answers: RwSignal<Answers>,
    problems: Signal<Vec<Problem>>,
    on_answer: Callback<(String, Option<Answer>)>,
    today: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let group_id = question.id.clone();
    let initial = answers.with_untracked(|a| match a.get(&group_id) {
        Some(Answer::Group(entries)) => entries.clone(),
        _ => Vec::new(),
    });
    let entries: RwSignal<Vec<(String, RwSignal<Answers>)>> =
        RwSignal::new(initial.into_iter().map(|entry| (entry.id, RwSignal::new(entry.answers))).collect());
    let send = {
        let group_id = group_id.clone();
        move || {
            let group: Vec<Entry> = entries
                .with_untracked(|all| all.iter().map(|(id, answers)| Entry { id: id.clone(), answers: answers.get_untracked() }).collect());
            on_answer.run((group_id.clone(), (!group.is_empty()).then_some(Answer::Group(group))));
        }
    };
    let add = {
        let send = send.clone();
        move |_| {
            entries.update(|all| all.push((uuid::Uuid::new_v4().to_string(), RwSignal::new(Answers::new()))));
            send();
        }
    };
    let label = question.label.clone();
    // The household's people say "person"; any other repeat (an imported
    // form's) numbers its entries under its own label.
    let is_roster = group_id == walkbook_core::people::ROSTER;
    let entry_label = Signal::derive({
        let label = label.clone();
        move || if is_roster { i18n.t(Text::Person).to_string() } else { label.get(i18n.lang.get()).to_string() }
    });
    let entry_group_id = group_id.clone();
    let own_problem = {
        let group_id = group_id.clone();
        move || problems.with(|all| all.iter().find(|p| p.question_id == group_id).map(|p| p.kind.message(i18n.lang.get())))
    };
    view! {
        <fieldset class="question roster" data-question=group_id.clone()>
            <legend class="question-label">{move || label.get(i18n.lang.get()).to_string()}</legend>
            // Keyed by place and id: removing a card renumbers the ones after it.
            <For each=move || entries.get().into_iter().enumerate() key=|(number, (id, _))| (*number, id.clone())
                let:((number, (entry_id, entry_answers)))>
                <RosterEntry group=group.clone() group_id=entry_group_id.clone() number=number + 1 entry_id=entry_id entry_label=entry_label
                    entry_answers=entry_answers entries=entries problems=problems on_change=Callback::new({
                        let send = send.clone();
                        move |_| send()
                    }) today=today.clone()/>
            </For>
            {move || own_problem().map(|message| view! { <p class="problem" role="alert">{message}</p> })}
            <button type="button" class="button wide" data-action="add-entry" on:click=add>
                "+ " {move || i18n.t(if is_roster { Text::AddPerson } else { Text::AddEntry })}
            </button>
        </fieldset>
    }
}

#[component]
fn RosterEntry(
    group: Arc<CompiledForm>,
    group_id: String,
    number: usize,
    entry_id: String,
    entry_label: Signal<String>,
    entry_answers: RwSignal<Answers>,
    entries: RwSignal<Vec<(String, RwSignal<Answers>)>>,
    problems: Signal<Vec<Problem>>,
    on_change: Callback<()>,
    today: String,
) -> impl IntoView {
    let i18n = use_i18n();
    // This entry's problems, named `group/entry/question` by the form.
    let prefix = format!("{group_id}/{entry_id}/");
    let entry_problems = Signal::derive(move || {
        problems.with(|all| {
            all.iter()
                .filter_map(|p| p.question_id.strip_prefix(&prefix).map(|q| Problem { question_id: q.to_string(), kind: p.kind.clone() }))
                .collect::<Vec<_>>()
        })
    });
    let on_answer = Callback::new(move |change: (String, Option<Answer>)| {
        entry_answers.update(|answers| apply_answer(answers, change));
        on_change.run(());
    });
    let red_code = move || entry_answers.with(|a| a.get(walkbook_core::people::HEALTH_CODE) == Some(&Answer::Text("red".into())));
    let remove = {
        let entry_id = entry_id.clone();
        move |_| {
            entries.update(|all| all.retain(|(id, _)| *id != entry_id));
            on_change.run(());
        }
    };
    view! {
        <div class="card roster-entry" data-entry=entry_id.clone() data-red-code=move || red_code().to_string()>
            <div class="roster-entry-head">
                <h3>{move || format!("{} {number}", entry_label.get())}</h3>
                {move || red_code().then(|| view! { <span class="badge alert" role="alert">{i18n.t(Text::RedCode)}</span> })}
                <button type="button" class="button quiet" data-action="remove-entry" on:click=remove>
                    {move || i18n.t(Text::RemovePerson)}
                </button>
            </div>
            <Questionnaire form=group answers=entry_answers problems=entry_problems on_answer=on_answer today=today
                id_prefix=format!("{group_id}-{number}-")/>
        </div>
    }
}

/// A note: text for the volunteer (a section heading, an instruction), no input.
#[component]
fn NoteField(question: Question) -> impl IntoView {
    let i18n = use_i18n();
    let (label, hint) = (question.label.clone(), question.hint.clone());
    view! {
        <div class="question note" data-question=question.id.clone()>
            <p class="note-text">{move || label.get(i18n.lang.get()).to_string()}</p>
            {hint.map(|hint| view! { <p class="hint">{move || hint.get(i18n.lang.get()).to_string()}</p> })}
        </div>
    }
}

#[component]
fn QuestionField(
    question: Question,
    answers: RwSignal<Answers>,
    problems: Signal<Vec<Problem>>,
    on_answer: Callback<(String, Option<Answer>)>,
    input_id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = question.id.clone();
    let problem_id = id.clone();
    let problem = Signal::derive(move || {
        problems.with(|all| all.iter().find(|p| p.question_id == problem_id).map(|p| p.kind.message(i18n.lang.get())))
    });
    let label = question.label.clone();
    let required = question.required;
    let hint = question.hint.clone();
    let hint_id = format!("{input_id}-hint");
    view! {
        <div class="question" data-question=id.clone() data-invalid=move || problem.get().is_some().to_string()>
            <label class="question-label" for=input_id.clone()>
                {move || label.get(i18n.lang.get()).to_string()}
                {required.then(|| view! { <span class="required"> " (" {move || i18n.t(Text::RequiredMark)} ")"</span> })}
            </label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{move || hint.get(i18n.lang.get()).to_string()}</p> })}
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
        // Drawn by `RosterField` and `NoteField`: never a single input.
        QuestionKind::Repeat { .. } | QuestionKind::Note => ().into_any(),
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
