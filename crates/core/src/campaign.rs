//! A campaign: what a phone loads to work a territory.

use serde::{Deserialize, Serialize};

use crate::form::Form;
use crate::labels::Labels;
use crate::lang::Lang;
use crate::territory::{Building, Door};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub id: String,
    pub name: Labels,
    pub languages: Vec<Lang>,
    pub settings: Settings,
    /// Every version of every form still in use, newest last.
    pub forms: Vec<Form>,
    pub buildings: Vec<Building>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// A reading at or above this (°C) is a fever.
    pub fever_threshold_c: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { fever_threshold_c: 37.3 }
    }
}

impl Campaign {
    /// The newest version of a form.
    pub fn current_form(&self, form_id: &str) -> Option<&Form> {
        self.forms.iter().filter(|f| f.id == form_id).max_by_key(|f| f.version)
    }

    pub fn building(&self, building_id: &str) -> Option<&Building> {
        self.buildings.iter().find(|b| b.id == building_id)
    }
}

/// A campaign with its doors: what the phone stores on first start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignBundle {
    pub campaign: Campaign,
    pub doors: Vec<Door>,
}
