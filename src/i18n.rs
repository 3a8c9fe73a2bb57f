//! Every string a volunteer sees, in the four languages of `Lang`.
//!
//! `Text` is an enum and each language is an exhaustive `match`, so a string
//! missing in one language is a compile error, not a blank button.

use leptos::prelude::*;
use walkbook_core::lang::Lang;

const STORAGE_KEY: &str = "walkbook.lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Tagline,
    NavHome,
    NavAbout,
    OfflineReady,
    OfflinePreparing,
    OfflineUnsupported,
    UpdateReady,
    UpdateReload,
    AboutTitle,
    AppVersion,
    Language,
    StoragePersistence,
    StorageGranted,
    StorageNotGranted,
    StorageUnknown,
    StorageUsage,
    StorageNotGrantedHelp,
    NotFound,
}

pub fn translate(lang: Lang, text: Text) -> &'static str {
    use Text::*;
    match lang {
        Lang::En => match text {
            Tagline => "Every door, every floor — even with no signal.",
            NavHome => "Home",
            NavAbout => "About & settings",
            OfflineReady => "Ready to work offline",
            OfflinePreparing => "Preparing offline use…",
            OfflineUnsupported => "This browser cannot keep Walkbook offline",
            UpdateReady => "A new version of Walkbook is ready.",
            UpdateReload => "Reload",
            AboutTitle => "About & settings",
            AppVersion => "App version",
            Language => "Language",
            StoragePersistence => "Persistent storage",
            StorageGranted => "Granted: the browser will not clear your records",
            StorageNotGranted => "Not granted",
            StorageUnknown => "Checking…",
            StorageUsage => "Storage used",
            StorageNotGrantedHelp => "Install Walkbook to your home screen so the browser keeps your records.",
            NotFound => "This page does not exist.",
        },
        Lang::ZhHans => match text {
            Tagline => "每一户、每一层——没有信号也能登记。",
            NavHome => "首页",
            NavAbout => "关于与设置",
            OfflineReady => "已可离线使用",
            OfflinePreparing => "正在准备离线使用…",
            OfflineUnsupported => "此浏览器无法离线保存 Walkbook",
            UpdateReady => "Walkbook 有新版本。",
            UpdateReload => "重新加载",
            AboutTitle => "关于与设置",
            AppVersion => "应用版本",
            Language => "语言",
            StoragePersistence => "持久存储",
            StorageGranted => "已授权：浏览器不会清除您的记录",
            StorageNotGranted => "未授权",
            StorageUnknown => "正在检查…",
            StorageUsage => "已用存储",
            StorageNotGrantedHelp => "请将 Walkbook 添加到主屏幕，浏览器才会保留您的记录。",
            NotFound => "此页面不存在。",
        },
        Lang::ZhHant => match text {
            Tagline => "每一戶、每一層——沒有訊號也能登記。",
            NavHome => "首頁",
            NavAbout => "關於與設定",
            OfflineReady => "已可離線使用",
            OfflinePreparing => "正在準備離線使用…",
            OfflineUnsupported => "此瀏覽器無法離線保存 Walkbook",
            UpdateReady => "Walkbook 有新版本。",
            UpdateReload => "重新載入",
            AboutTitle => "關於與設定",
            AppVersion => "應用程式版本",
            Language => "語言",
            StoragePersistence => "持久儲存",
            StorageGranted => "已授權：瀏覽器不會清除您的記錄",
            StorageNotGranted => "未授權",
            StorageUnknown => "正在檢查…",
            StorageUsage => "已用儲存空間",
            StorageNotGrantedHelp => "請將 Walkbook 加入主畫面，瀏覽器才會保留您的記錄。",
            NotFound => "此頁面不存在。",
        },
        Lang::Ko => match text {
            Tagline => "모든 집, 모든 층 — 신호가 없어도 기록합니다.",
            NavHome => "홈",
            NavAbout => "정보 및 설정",
            OfflineReady => "오프라인 사용 준비 완료",
            OfflinePreparing => "오프라인 사용 준비 중…",
            OfflineUnsupported => "이 브라우저는 Walkbook을 오프라인으로 저장할 수 없습니다",
            UpdateReady => "Walkbook 새 버전이 준비되었습니다.",
            UpdateReload => "새로고침",
            AboutTitle => "정보 및 설정",
            AppVersion => "앱 버전",
            Language => "언어",
            StoragePersistence => "영구 저장소",
            StorageGranted => "허용됨: 브라우저가 기록을 지우지 않습니다",
            StorageNotGranted => "허용되지 않음",
            StorageUnknown => "확인 중…",
            StorageUsage => "사용한 저장 공간",
            StorageNotGrantedHelp => "브라우저가 기록을 보관하도록 Walkbook을 홈 화면에 추가하세요.",
            NotFound => "이 페이지는 없습니다.",
        },
    }
}

/// The chosen language, shared through context. Reading `t` inside a reactive
/// closure re-renders that text when the volunteer switches language.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    pub fn t(self, text: Text) -> &'static str {
        translate(self.lang.get(), text)
    }

    /// Switches language, remembers the choice on this device, and updates
    /// `<html lang>` so screen readers and fonts follow.
    pub fn set(self, lang: Lang) {
        self.lang.set(lang);
        if let Some(storage) = window().local_storage().ok().flatten() {
            // A private window without storage keeps the choice for this visit only.
            let _ = storage.set_item(STORAGE_KEY, lang.tag());
        }
        set_document_lang(lang);
    }
}

/// Creates the language signal: the stored choice, else the browser's languages.
pub fn provide_i18n() -> I18n {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|tag| Lang::from_tag(&tag));
    let lang = stored.unwrap_or_else(|| {
        let preferred: Vec<String> =
            window().navigator().languages().iter().filter_map(|value| value.as_string()).collect();
        Lang::negotiate(preferred.iter().map(String::as_str))
    });
    set_document_lang(lang);
    let i18n = I18n { lang: RwSignal::new(lang) };
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

fn set_document_lang(lang: Lang) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", lang.tag());
    }
}
