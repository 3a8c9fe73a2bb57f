//! Text in several languages, as forms and territories carry it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// One text per language, e.g. a question's label. Serialised as a map from
/// language tag to text: `{"zh-Hans": "几人居住", "en": "How many live here"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Labels(pub BTreeMap<Lang, String>);

impl Labels {
    /// The text in `lang`; else in English, else in Simplified Chinese, else any.
    pub fn get(&self, lang: Lang) -> &str {
        [lang, Lang::En, Lang::ZhHans]
            .iter()
            .find_map(|l| self.0.get(l))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Builds labels from (zh-Hans, zh-Hant, en, ko), the demo's order.
    pub fn four(zh_hans: &str, zh_hant: &str, en: &str, ko: &str) -> Labels {
        Labels(BTreeMap::from([
            (Lang::ZhHans, zh_hans.to_string()),
            (Lang::ZhHant, zh_hant.to_string()),
            (Lang::En, en.to_string()),
            (Lang::Ko, ko.to_string()),
        ]))
    }

    /// The same text in every language (a door label, a number).
    pub fn same(text: &str) -> Labels {
        Labels(Lang::ALL.into_iter().map(|lang| (lang, text.to_string())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_language_falls_back_to_english_then_chinese() {
        let labels = Labels(BTreeMap::from([(Lang::En, "Floor".into()), (Lang::ZhHans, "楼层".into())]));
        assert_eq!(labels.get(Lang::Ko), "Floor");
        let chinese_only = Labels(BTreeMap::from([(Lang::ZhHans, "楼层".into())]));
        assert_eq!(chinese_only.get(Lang::Ko), "楼层");
        assert_eq!(Labels::default().get(Lang::En), "");
    }
}
