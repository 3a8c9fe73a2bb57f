//! The languages Walkbook speaks. Volunteers' strings exist in all four; a
//! campaign's form labels carry the campaign's languages.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Lang {
    #[serde(rename = "zh-Hans")]
    ZhHans,
    #[serde(rename = "zh-Hant")]
    ZhHant,
    #[serde(rename = "en")]
    En,
    #[serde(rename = "ko")]
    Ko,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::ZhHans, Lang::ZhHant, Lang::En, Lang::Ko];

    /// BCP 47 tag, as used in `<html lang>` and in stored preferences.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhHans => "zh-Hans",
            Lang::ZhHant => "zh-Hant",
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// The language's own name for itself, for a language switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::ZhHans => "简体中文",
            Lang::ZhHant => "繁體中文",
            Lang::En => "English",
            Lang::Ko => "한국어",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.tag().eq_ignore_ascii_case(tag))
    }

    /// Best match for one browser language tag (`navigator.languages` entry).
    /// Taiwan, Hong Kong and Macau Chinese, and explicit `Hant`, read Traditional.
    pub fn match_browser_tag(tag: &str) -> Option<Lang> {
        let lower = tag.to_ascii_lowercase();
        let mut subtags = lower.split(['-', '_']);
        match subtags.next()? {
            "zh" => {
                let traditional = subtags.any(|s| matches!(s, "hant" | "tw" | "hk" | "mo"));
                Some(if traditional { Lang::ZhHant } else { Lang::ZhHans })
            }
            "en" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            _ => None,
        }
    }

    /// The first of the browser's preferred languages Walkbook speaks, else English.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred.into_iter().find_map(Lang::match_browser_tag).unwrap_or(Lang::En)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_tags_map_to_the_right_script() {
        assert_eq!(Lang::match_browser_tag("zh-CN"), Some(Lang::ZhHans));
        assert_eq!(Lang::match_browser_tag("zh"), Some(Lang::ZhHans));
        assert_eq!(Lang::match_browser_tag("zh-TW"), Some(Lang::ZhHant));
        assert_eq!(Lang::match_browser_tag("zh-Hant-HK"), Some(Lang::ZhHant));
        assert_eq!(Lang::match_browser_tag("zh_HK"), Some(Lang::ZhHant));
        assert_eq!(Lang::match_browser_tag("ko-KR"), Some(Lang::Ko));
        assert_eq!(Lang::match_browser_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::match_browser_tag("fr-FR"), None);
    }

    #[test]
    fn negotiation_takes_the_first_supported_and_falls_back_to_english() {
        assert_eq!(Lang::negotiate(["fr", "ko", "zh-CN"]), Lang::Ko);
        assert_eq!(Lang::negotiate(["fr", "de"]), Lang::En);
        assert_eq!(Lang::negotiate([]), Lang::En);
    }

    #[test]
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
            let json = serde_json::to_string(&lang).unwrap();
            assert_eq!(json, format!("\"{}\"", lang.tag()));
        }
    }
}
