//! Reading a record's kind in one pass over its fields.
//!
//! serde's derive reads an internally tagged enum by first copying every
//! field into a buffer of its own (the tag may come last), then reading the
//! variant from that copy: on a phone, where records come out of IndexedDB
//! through `serde_wasm_bindgen`, that was the largest function of the app's
//! first download and a copy of every field of every record read. This
//! reader puts each field straight into its slot, then builds the variant
//! the tag names. It accepts the objects the derive accepted, with the same
//! messages for an input with one fault (an unknown field is reported as
//! the first in the object, as the derive did); the derive's other form, an
//! array with the tag first, no client writes and this reader refuses.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::RecordKind;
use crate::gate::VisitorEntry;
use crate::needs::{NeedKind, NeedStatus};
use crate::people::{HealthCode, Slot};

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case", variant_identifier)]
enum KindName {
    Visit,
    TemperatureCheck,
    FloorNotice,
    FloorClosed,
    Need,
    NeedUpdate,
    Void,
    WeeklyCheck,
    Visitor,
}

impl KindName {
    /// The fields beside the tag, as the enum declares them.
    fn fields(self) -> &'static [&'static str] {
        match self {
            KindName::Visit => &[],
            KindName::TemperatureCheck => &["person_id", "slot", "celsius"],
            KindName::FloorNotice => &["building_id", "floor", "notice_id"],
            KindName::FloorClosed | KindName::Void => &["building_id", "floor"],
            KindName::Need => &["person_id", "need", "details"],
            KindName::NeedUpdate => &["need_id", "status", "note"],
            KindName::WeeklyCheck => &["person_id", "note"],
            KindName::Visitor => {
                &["gate_id", "name", "phone", "building_id", "door_id", "delivery", "purpose", "health_code", "celsius", "turned_back"]
            }
        }
    }
}

/// Every field any kind has, as read. A field one kind requires and
/// another may leave out or set to null is read nullable (`Some(None)`:
/// null), so that the kind that requires it refuses a null as the derive did.
#[derive(Default)]
struct Fields {
    person_id: Option<Option<String>>,
    slot: Option<Slot>,
    celsius: Option<Option<f64>>,
    building_id: Option<Option<String>>,
    floor: Option<i32>,
    notice_id: Option<String>,
    need: Option<NeedKind>,
    details: Option<String>,
    need_id: Option<String>,
    status: Option<NeedStatus>,
    note: Option<String>,
    gate_id: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    door_id: Option<Option<String>>,
    delivery: Option<bool>,
    purpose: Option<String>,
    health_code: Option<Option<HealthCode>>,
    turned_back: Option<bool>,
}

fn put<T, E: de::Error>(slot: &mut Option<T>, value: T, field: &'static str) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(field));
    }
    *slot = Some(value);
    Ok(())
}

fn required<T, E: de::Error>(slot: Option<T>, field: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(field))
}

/// A field the kind requires, read nullable because another kind's is.
fn required_non_null<T, E: de::Error>(slot: Option<Option<T>>, field: &'static str, expected: &'static str) -> Result<T, E> {
    required(slot, field)?.ok_or_else(|| E::invalid_type(de::Unexpected::Unit, &expected))
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = RecordKind;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("internally tagged enum RecordKind")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RecordKind, A::Error> {
        let mut kind = None;
        let mut fields = Fields::default();
        // The first field no kind has, or that the tag's kind may not have:
        // only known once the tag is read, which may come last.
        let mut keys = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => put(&mut kind, map.next_value::<KindName>()?, "type")?,
                "person_id" => put(&mut fields.person_id, map.next_value()?, "person_id")?,
                "slot" => put(&mut fields.slot, map.next_value()?, "slot")?,
                "celsius" => put(&mut fields.celsius, map.next_value()?, "celsius")?,
                "building_id" => put(&mut fields.building_id, map.next_value()?, "building_id")?,
                "floor" => put(&mut fields.floor, map.next_value()?, "floor")?,
                "notice_id" => put(&mut fields.notice_id, map.next_value()?, "notice_id")?,
                "need" => put(&mut fields.need, map.next_value()?, "need")?,
                "details" => put(&mut fields.details, map.next_value()?, "details")?,
                "need_id" => put(&mut fields.need_id, map.next_value()?, "need_id")?,
                "status" => put(&mut fields.status, map.next_value()?, "status")?,
                "note" => put(&mut fields.note, map.next_value()?, "note")?,
                "gate_id" => put(&mut fields.gate_id, map.next_value()?, "gate_id")?,
                "name" => put(&mut fields.name, map.next_value()?, "name")?,
                "phone" => put(&mut fields.phone, map.next_value()?, "phone")?,
                "door_id" => put(&mut fields.door_id, map.next_value()?, "door_id")?,
                "delivery" => put(&mut fields.delivery, map.next_value()?, "delivery")?,
                "purpose" => put(&mut fields.purpose, map.next_value()?, "purpose")?,
                "health_code" => put(&mut fields.health_code, map.next_value()?, "health_code")?,
                "turned_back" => put(&mut fields.turned_back, map.next_value()?, "turned_back")?,
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
            keys.push(key);
        }
        let kind = required(kind, "type")?;
        let allowed = kind.fields();
        if let Some(foreign) = keys.iter().find(|key| *key != "type" && !allowed.contains(&key.as_str())) {
            return Err(de::Error::unknown_field(foreign, allowed));
        }
        build(kind, fields)
    }
}

/// The variant `kind` names, from its fields (no other field is set).
fn build<E: de::Error>(kind: KindName, fields: Fields) -> Result<RecordKind, E> {
    const STRING: &str = "a string";
    const F64: &str = "f64";
    Ok(match kind {
        KindName::Visit => RecordKind::Visit {},
        KindName::TemperatureCheck => RecordKind::TemperatureCheck {
            person_id: required_non_null(fields.person_id, "person_id", STRING)?,
            slot: required(fields.slot, "slot")?,
            celsius: required_non_null(fields.celsius, "celsius", F64)?,
        },
        KindName::FloorNotice => RecordKind::FloorNotice {
            building_id: required_non_null(fields.building_id, "building_id", STRING)?,
            floor: required(fields.floor, "floor")?,
            notice_id: fields.notice_id.unwrap_or_default(),
        },
        KindName::FloorClosed => RecordKind::FloorClosed {
            building_id: required_non_null(fields.building_id, "building_id", STRING)?,
            floor: required(fields.floor, "floor")?,
        },
        KindName::Need => RecordKind::Need {
            person_id: fields.person_id.flatten(),
            need: required(fields.need, "need")?,
            details: fields.details.unwrap_or_default(),
        },
        KindName::NeedUpdate => RecordKind::NeedUpdate {
            need_id: required(fields.need_id, "need_id")?,
            status: required(fields.status, "status")?,
            note: fields.note.unwrap_or_default(),
        },
        KindName::Void => RecordKind::Void {
            building_id: required_non_null(fields.building_id, "building_id", STRING)?,
            floor: required(fields.floor, "floor")?,
        },
        KindName::WeeklyCheck => RecordKind::WeeklyCheck {
            person_id: required_non_null(fields.person_id, "person_id", STRING)?,
            note: fields.note.unwrap_or_default(),
        },
        KindName::Visitor => RecordKind::Visitor(VisitorEntry {
            gate_id: required(fields.gate_id, "gate_id")?,
            name: required(fields.name, "name")?,
            phone: fields.phone.unwrap_or_default(),
            building_id: fields.building_id.flatten(),
            door_id: fields.door_id.flatten(),
            delivery: fields.delivery.unwrap_or_default(),
            purpose: fields.purpose.unwrap_or_default(),
            health_code: fields.health_code.flatten(),
            celsius: fields.celsius.flatten(),
            turned_back: fields.turned_back.unwrap_or_default(),
        }),
    })
}

impl<'de> Deserialize<'de> for RecordKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RecordKind, D::Error> {
        deserializer.deserialize_map(KindVisitor)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    use crate::gate::VisitorEntry;
    use crate::needs::{NeedKind, NeedStatus};
    use crate::people::Slot;
    use crate::record::RecordKind;

    /// The kind as serde's derive read it before this reader.
    #[derive(Serialize, Deserialize)]
    #[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
    enum DerivedKind {
        Visit {},
        TemperatureCheck {
            person_id: String,
            slot: Slot,
            celsius: f64,
        },
        FloorNotice {
            building_id: String,
            floor: i32,
            #[serde(default, skip_serializing_if = "String::is_empty")]
            notice_id: String,
        },
        FloorClosed {
            building_id: String,
            floor: i32,
        },
        Need {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            person_id: Option<String>,
            need: NeedKind,
            #[serde(default, skip_serializing_if = "String::is_empty")]
            details: String,
        },
        NeedUpdate {
            need_id: String,
            status: NeedStatus,
            #[serde(default, skip_serializing_if = "String::is_empty")]
            note: String,
        },
        Void {
            building_id: String,
            floor: i32,
        },
        WeeklyCheck {
            person_id: String,
            #[serde(default, skip_serializing_if = "String::is_empty")]
            note: String,
        },
        Visitor(VisitorEntry),
    }

    #[test]
    fn kinds_read_as_the_derive_read_them_with_its_messages() {
        let slot = json!({"date": "2026-12-04", "half": "morning"});
        let cases = [
            // Read.
            json!({"type": "visit"}),
            json!({"type": "temperature_check", "person_id": "p1", "slot": slot, "celsius": 37.2}),
            json!({"celsius": 36, "slot": slot, "person_id": "p1", "type": "temperature_check"}),
            json!({"type": "floor_notice", "building_id": "b1", "floor": 3}),
            json!({"type": "floor_notice", "building_id": "b1", "floor": -1, "notice_id": "n2"}),
            json!({"type": "floor_closed", "building_id": "b1", "floor": 3}),
            json!({"type": "need", "need": "medicine"}),
            json!({"type": "need", "person_id": null, "need": "groceries", "details": "rice"}),
            json!({"type": "need", "person_id": "p1", "need": "groceries"}),
            json!({"type": "need_update", "need_id": "n1", "status": "done", "note": "left at the door"}),
            json!({"type": "void", "building_id": "b1", "floor": 2}),
            json!({"type": "weekly_check", "person_id": "p1"}),
            json!({"type": "visitor", "gate_id": "g1", "name": "Li"}),
            json!({"type": "visitor", "gate_id": "g1", "name": "Li", "phone": "138", "building_id": "b1", "door_id": "d1",
                   "delivery": true, "purpose": "parcel", "health_code": "green", "celsius": 36.5, "turned_back": true}),
            json!({"type": "visitor", "gate_id": "g1", "name": "Li", "building_id": null, "celsius": null, "health_code": null}),
            // Refused, each for one fault.
            json!({}),
            json!({"type": "visit", "extra": 1}),
            json!({"type": "visit", "floor": 1}),
            json!({"type": "visits"}),
            json!({"type": 3}),
            json!({"person_id": "p1", "type": "weekly_check", "surprise": true}),
            json!({"type": "weekly_check", "person_id": "p1", "floor": 2}),
            json!({"type": "weekly_check"}),
            json!({"type": "weekly_check", "person_id": null}),
            json!({"type": "weekly_check", "person_id": 7}),
            json!({"type": "temperature_check", "person_id": "p1", "slot": slot}),
            json!({"type": "temperature_check", "person_id": "p1", "slot": slot, "celsius": null}),
            json!({"type": "temperature_check", "person_id": "p1", "slot": {"date": "2026-12-04"}, "celsius": 37}),
            json!({"type": "floor_notice", "building_id": null, "floor": 1}),
            json!({"type": "floor_notice", "building_id": "b1", "floor": 1.5}),
            json!({"type": "floor_closed", "floor": 1}),
            json!({"type": "need", "need": "unicorns"}),
            json!({"type": "need_update", "need_id": "n1"}),
            json!({"type": "visitor", "name": "Li"}),
            json!({"type": "visitor", "gate_id": "g1", "name": "Li", "health_code": "purple"}),
            json!({"type": "visitor", "gate_id": "g1", "name": "Li", "note": "x"}),
            json!("visit"),
            json!(null),
        ];
        let mut read = 0;
        for case in &cases {
            let ours = serde_json::from_value::<RecordKind>(case.clone()).map(|kind| serde_json::to_value(kind).unwrap());
            let derived = serde_json::from_value::<DerivedKind>(case.clone()).map(|kind| serde_json::to_value(kind).unwrap());
            let derived = derived.map_err(|e| e.to_string().replace("DerivedKind", "RecordKind"));
            assert_eq!(ours.map_err(|e| e.to_string()), derived, "{case}");
            read += usize::from(serde_json::from_value::<RecordKind>(case.clone()).is_ok());
        }
        assert_eq!(read, 15, "fifteen of the cases are kinds, the others are refused");
        let duplicate = r#"{"type": "weekly_check", "person_id": "p1", "person_id": "p2"}"#;
        assert!(serde_json::from_str::<RecordKind>(duplicate).unwrap_err().to_string().starts_with("duplicate field `person_id`"));
    }
}
