fn main() {
    console_error_panic_hook::set_once();
    // The app is built in a task of its own, not in the one that
    // instantiated the wasm: one long task of both (140-180 ms at 4x CPU)
    // becomes two shorter ones, and the first load blocks the page less.
    gloo_timers::callback::Timeout::new(0, || leptos::mount::mount_to_body(walkbook_app::app::App)).forget();
}
