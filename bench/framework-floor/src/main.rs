//! The least a Leptos app with the volunteer app's routing needs: a parent
//! route that gates its children (`Show` around an `Outlet`), a route with
//! a parameter, a keyed list, links and a button.

use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes, A};
use leptos_router::hooks::use_params_map;
use leptos_router::path;

#[component]
fn Gate() -> impl IntoView {
    let ready = RwSignal::new(true);
    view! {
        <Show when=move || ready.get() fallback=|| view! { <p>"Loading"</p> }>
            <Outlet/>
        </Show>
    }
}

#[component]
fn Home() -> impl IntoView {
    let floors = RwSignal::new((1..20u32).collect::<Vec<_>>());
    view! {
        <h1>"Home"</h1>
        <button on:click=move |_| floors.update(|floors| floors.push(floors.len() as u32 + 1))>"Add a floor"</button>
        <ul>
            <For each=move || floors.get() key=|floor| *floor let:floor>
                <li><A href=format!("/floor/{floor}")>{floor}</A></li>
            </For>
        </ul>
    }
}

#[component]
fn Floor() -> impl IntoView {
    let params = use_params_map();
    let floor = move || params.read().get("floor").unwrap_or_default();
    view! {
        <h2>"Floor " {floor}</h2>
        <A href="/">"Home"</A>
    }
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <main>
                <Routes fallback=|| "Not found">
                    <ParentRoute path=path!("") view=Gate>
                        <Route path=path!("") view=Home/>
                        <Route path=path!("floor/:floor") view=Floor/>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}

fn main() {
    leptos::mount::mount_to_body(App);
}
