//! The demo campaign, shaped like the communities Walkbook is for: an old
//! walk-up estate, a residential tower, and a street of shops, with a
//! household form and a shop-reopening form in Simplified Chinese, with
//! Traditional Chinese, English and Korean labels.

use crate::campaign::{Campaign, CampaignBundle, Notice, Settings};
use crate::form::{Choice, Constraint, Form, Question, QuestionKind};
use crate::gate::Gate;
use crate::labels::Labels;
use crate::lang::Lang;
use crate::territory::{summarise_floors, Building, BuildingKind, Door};

pub const DEMO_CAMPAIGN_ID: &str = "demo-xingfu";

pub fn demo_campaign() -> CampaignBundle {
    let mut buildings = Vec::new();
    let mut doors = Vec::new();

    // 幸福里: 12 six-storey walk-ups, 2 entrances (单元) each, 2 doors a landing.
    for number in 1..=12 {
        let building_id = format!("xfl-{number:02}");
        buildings.push(Building {
            id: building_id.clone(),
            name: Labels::four(
                &format!("幸福里 {number} 号楼"),
                &format!("幸福里 {number} 號樓"),
                &format!("Xingfuli Block {number}"),
                &format!("싱푸리 {number}동"),
            ),
            kind: BuildingKind::Residential,
            form_id: "household".into(),
            floors: vec![],
            door_count: 0,
        });
        for entrance in 1..=2 {
            for floor in 1..=6 {
                for door in 1..=2 {
                    let label = format!("{number}-{entrance}-{floor}0{door}");
                    doors.push(Door {
                        id: format!("{building_id}-{entrance}-{floor}0{door}"),
                        building_id: building_id.clone(),
                        entrance: Some(entrance.to_string()),
                        floor,
                        label,
                        position: (entrance - 1) * 2 + door,
                    });
                }
            }
        }
    }

    // 华庭大厦: 30 floors, 8 doors a floor.
    buildings.push(Building {
        id: "ht-tower".into(),
        name: Labels::four("华庭大厦", "華庭大廈", "Huating Tower", "화팅 타워"),
        kind: BuildingKind::Residential,
        form_id: "household".into(),
        floors: vec![],
        door_count: 0,
    });
    for floor in 1..=30 {
        for door in 1..=8 {
            doors.push(Door {
                id: format!("ht-{floor:02}{door:02}"),
                building_id: "ht-tower".into(),
                entrance: None,
                floor,
                label: format!("T-{floor}{door:02}"),
                position: door,
            });
        }
    }

    // 和平街: 20 shops, each a door of a "street" building.
    buildings.push(Building {
        id: "hp-street".into(),
        name: Labels::four("和平街商铺", "和平街商鋪", "Heping Street shops", "허핑가 상점"),
        kind: BuildingKind::Street,
        form_id: "shop".into(),
        floors: vec![],
        door_count: 0,
    });
    for shop in 1..=20 {
        doors.push(Door {
            id: format!("hp-{shop:02}"),
            building_id: "hp-street".into(),
            entrance: None,
            floor: 1,
            label: format!("和平街 {shop} 号"),
            position: shop,
        });
    }

    summarise_floors(&mut buildings, &doors);
    CampaignBundle {
        campaign: Campaign {
            revision: 0,
            id: DEMO_CAMPAIGN_ID.into(),
            name: Labels::four("幸福社区入户排查", "幸福社區入戶排查", "Xingfu community door-to-door check", "싱푸 지역 방문 조사"),
            languages: Lang::ALL.to_vec(),
            settings: Settings::default(),
            forms: vec![household_form(), household_roster_form(), household_living_alone_form(), shop_form(), shop_staff_form()],
            buildings,
            closed_at: None,
            personal_data_erased_at: None,
            // Two rounds: the plain-language sheet first, then a letter.
            notices: vec![
                Notice { id: "sheet".into(), label: Labels::four("防疫须知", "防疫須知", "Plain-language sheet", "방역 안내문") },
                Notice { id: "letter".into(), label: Labels::four("致居民的一封信", "致居民的一封信", "Letter to residents", "주민께 드리는 편지") },
            ],
            gates: vec![Gate { id: "north-gate".into(), name: Labels::four("北门", "北門", "North gate", "북문") }],
        },
        doors,
    }
}

/// A question that is optional, always shown and unconstrained; the forms
/// below change what differs with struct update syntax.
fn question(id: &str, label: Labels, kind: QuestionKind) -> Question {
    Question { id: id.into(), label, kind, required: false, relevant: None, constraint: None, hint: None }
}

fn yes_no(id: &str, label: Labels) -> Question {
    Question { required: true, ..question(id, label, QuestionKind::YesNo) }
}

fn single_choice(id: &str, label: Labels, choices: &[(&str, Labels)]) -> Question {
    let choices = choices.iter().map(|(value, label)| Choice { value: value.to_string(), label: label.clone() }).collect();
    Question { required: true, ..question(id, label, QuestionKind::SingleChoice { choices }) }
}

fn constraint(expr: &str, message: Labels) -> Option<Constraint> {
    Some(Constraint { expr: expr.into(), message })
}

fn tenure() -> Question {
    single_choice(
        "tenure",
        Labels::four("业主还是租户", "業主還是租戶", "Owner or tenant", "소유자 또는 세입자"),
        &[("owner", Labels::four("业主", "業主", "Owner", "소유자")), ("tenant", Labels::four("租户", "租戶", "Tenant", "세입자"))],
    )
}

fn health_code() -> Question {
    single_choice(
        crate::people::HEALTH_CODE,
        Labels::four("健康码颜色", "健康碼顏色", "Health-code colour", "건강 코드 색상"),
        &[
            ("green", Labels::four("绿码", "綠碼", "Green", "녹색")),
            ("orange", Labels::four("橙码", "橙碼", "Orange", "주황색")),
            ("red", Labels::four("红码", "紅碼", "Red", "빨간색")),
        ],
    )
}

/// The date of return, asked when `relevant` (someone came back).
fn returned_on(relevant: &Option<String>) -> Question {
    Question {
        required: true,
        relevant: relevant.clone(),
        constraint: constraint(
            ". <= today()",
            Labels::four("日期不能晚于今天", "日期不能晚於今天", "Cannot be after today", "오늘 이후일 수 없습니다"),
        ),
        ..question("returned_on", Labels::four("返回日期", "返回日期", "Date of return", "돌아온 날짜"), QuestionKind::Date)
    }
}

/// The last day of home quarantine, asked when `relevant`; not before the
/// date of return.
fn quarantine_until(relevant: &Option<String>, label: Labels) -> Question {
    Question {
        relevant: relevant.clone(),
        constraint: constraint(
            ". >= ${returned_on}",
            Labels::four("不能早于返回日期", "不能早於返回日期", "Cannot be before the date of return", "돌아온 날짜보다 이를 수 없습니다"),
        ),
        ..question("quarantine_until", label, QuestionKind::Date)
    }
}

fn notes() -> Question {
    question("notes", Labels::four("备注", "備註", "Notes", "메모"), QuestionKind::Text)
}

pub fn household_form() -> Form {
    let returned = Some("${returned} = 'yes'".to_string());
    Form {
        id: "household".into(),
        version: 1,
        title: Labels::four("住户登记", "住戶登記", "Household register", "가구 등록"),
        questions: vec![
            Question {
                required: true,
                constraint: constraint(
                    ". >= 1 and . <= 30",
                    Labels::four(
                        "人数应在 1 到 30 之间",
                        "人數應在 1 到 30 之間",
                        "Between 1 and 30 people",
                        "1명에서 30명 사이여야 합니다",
                    ),
                ),
                ..question(
                    "household_size",
                    Labels::four("几人居住", "幾人居住", "How many people live here", "거주 인원"),
                    QuestionKind::Integer,
                )
            },
            tenure(),
            yes_no(
                "returned",
                Labels::four(
                    "是否有人从外省或境外返回",
                    "是否有人從外省或境外返回",
                    "Anyone back from another province or abroad",
                    "다른 지역이나 해외에서 돌아온 사람이 있습니까",
                ),
            ),
            Question {
                relevant: returned.clone(),
                ..single_choice(
                    "returned_from",
                    Labels::four("从哪里返回", "從哪裡返回", "Back from where", "어디에서 돌아왔습니까"),
                    &[
                        ("province", Labels::four("外省", "外省", "Another province", "다른 지역")),
                        ("abroad", Labels::four("境外", "境外", "Abroad", "해외")),
                    ],
                )
            },
            returned_on(&returned),
            quarantine_until(&returned, Labels::four("居家隔离至", "居家隔離至", "Home quarantine until", "자가격리 종료일")),
            health_code(),
            notes(),
        ],
    }
}

/// Version 2 of the household form: a roster of people instead of counts
/// (see `people` for the ids follow-ups read). Version 1 stays in the
/// campaign, so records made with it stay readable.
pub fn household_roster_form() -> Form {
    let returned = Some("${returned_from} = 'province' or ${returned_from} = 'abroad'".to_string());
    let person = vec![
        Question {
            required: true,
            ..question("name", Labels::four("姓名或姓名缩写", "姓名或姓名縮寫", "Name or initials", "이름 또는 이니셜"), QuestionKind::Text)
        },
        single_choice(
            "relation",
            Labels::four("与户主关系", "與戶主關係", "Relation to the head of household", "세대주와의 관계"),
            &[
                ("head", Labels::four("户主", "戶主", "Head of household", "세대주")),
                ("spouse", Labels::four("配偶", "配偶", "Spouse", "배우자")),
                ("child", Labels::four("子女", "子女", "Child", "자녀")),
                ("parent", Labels::four("父母", "父母", "Parent", "부모")),
                ("other", Labels::four("其他", "其他", "Other", "기타")),
            ],
        ),
        single_choice(
            "age_band",
            Labels::four("年龄段", "年齡段", "Age band", "연령대"),
            &[
                ("0-17", Labels::four("0–17 岁", "0–17 歲", "0–17", "0–17세")),
                ("18-59", Labels::four("18–59 岁", "18–59 歲", "18–59", "18–59세")),
                ("60+", Labels::four("60 岁以上", "60 歲以上", "60 and over", "60세 이상")),
            ],
        ),
        tenure(),
        Question {
            constraint: constraint(
                "string-length(.) >= 5 and string-length(.) <= 20",
                Labels::four(
                    "电话号码为 5 到 20 位",
                    "電話號碼為 5 到 20 位",
                    "A phone number has 5 to 20 characters",
                    "전화번호는 5~20자입니다",
                ),
            ),
            ..question("phone", Labels::four("电话（选填）", "電話（選填）", "Phone (optional)", "전화번호 (선택)"), QuestionKind::Text)
        },
        single_choice(
            "returned_from",
            Labels::four("近期是否从外地返回", "近期是否從外地返回", "Recently back from elsewhere", "최근 다른 곳에서 돌아왔습니까"),
            &[
                ("none", Labels::four("否", "否", "No", "아니요")),
                ("province", Labels::four("外省", "外省", "Another province", "다른 지역")),
                ("abroad", Labels::four("境外", "境外", "Abroad", "해외")),
            ],
        ),
        returned_on(&returned),
        health_code(),
        quarantine_until(
            &returned,
            Labels::four("居家隔离至（含当天）", "居家隔離至（含當天）", "Home quarantine until (last day)", "자가격리 종료일 (마지막 날)"),
        ),
    ];
    Form {
        id: "household".into(),
        version: 2,
        title: Labels::four("住户登记", "住戶登記", "Household register", "가구 등록"),
        questions: vec![
            Question {
                required: true,
                ..question(
                    crate::people::ROSTER,
                    Labels::four("住户成员", "住戶成員", "People in this household", "가구 구성원"),
                    QuestionKind::Repeat { questions: person },
                )
            },
            notes(),
        ],
    }
}

/// The household register, version 3: each person may also live alone or
/// need regular help (then they get a weekly check, see `living_alone`).
/// Optional questions, so that a household is saved as before when neither
/// applies.
pub fn household_living_alone_form() -> Form {
    let mut form = household_roster_form();
    form.version = 3;
    if let Some(QuestionKind::Repeat { questions }) = form.questions.first_mut().map(|roster| &mut roster.kind) {
        questions.push(question(crate::people::LIVES_ALONE, Labels::four("独居", "獨居", "Lives alone", "혼자 거주"), QuestionKind::YesNo));
        questions.push(question(
            crate::people::NEEDS_HELP,
            Labels::four("需要定期帮扶", "需要定期幫扶", "Needs regular help", "정기적인 도움 필요"),
            QuestionKind::YesNo,
        ));
    }
    form
}

pub fn shop_form() -> Form {
    Form {
        id: "shop".into(),
        version: 1,
        title: Labels::four("商铺复工检查", "商鋪復工檢查", "Shop reopening check", "상점 영업 재개 점검"),
        questions: vec![
            yes_no("staff_registered", Labels::four("员工已登记", "員工已登記", "Staff registered", "직원 등록 완료")),
            yes_no("thermometer", Labels::four("门口有体温计", "門口有體溫計", "Thermometer at the door", "입구에 체온계 비치")),
            yes_no("notice_posted", Labels::four("已张贴告示", "已張貼告示", "Notice posted", "안내문 게시")),
            notes(),
        ],
    }
}

/// The shop check, version 2: the shop's staff as a repeat group, each
/// with their health-code colour (a new campaign starts with this one).
pub fn shop_staff_form() -> Form {
    let staff = vec![
        Question {
            required: true,
            ..question(
                crate::people::NAME,
                Labels::four("姓名或姓名缩写", "姓名或姓名縮寫", "Name or initials", "이름 또는 이니셜"),
                QuestionKind::Text,
            )
        },
        Question { required: true, ..health_code() },
    ];
    Form {
        version: 2,
        questions: vec![
            Question {
                required: true,
                ..question(SHOP_STAFF, Labels::four("店员", "店員", "Staff", "직원"), QuestionKind::Repeat { questions: staff })
            },
            yes_no("thermometer", Labels::four("门口有体温计", "門口有體溫計", "Thermometer at the door", "입구에 체온계 비치")),
            yes_no("notice_posted", Labels::four("已张贴告示", "已張貼告示", "Notice posted", "안내문 게시")),
            notes(),
        ],
        ..shop_form()
    }
}

/// The shop form's repeat group of staff.
pub const SHOP_STAFF: &str = "staff";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::{Answer, Answers, CompiledForm, Entry, ProblemKind};

    /// The volunteer app ships the demo as data (`public/demo-campaign.json`,
    /// precached), not as code; the file must be this campaign. After a
    /// change here: `WALKBOOK_WRITE_DEMO=1 cargo test -p walkbook-core demo`.
    #[test]
    fn the_demo_shipped_with_the_app_is_this_campaign() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/demo-campaign.json");
        let expected = serde_json::to_string(&demo_campaign()).unwrap() + "\n";
        if std::env::var_os("WALKBOOK_WRITE_DEMO").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        let shipped = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(shipped == expected, "{} is not demo_campaign(): WALKBOOK_WRITE_DEMO=1 cargo test -p walkbook-core demo", path.display());
    }

    #[test]
    fn demo_has_the_documented_shape() {
        let bundle = demo_campaign();
        let campaign = &bundle.campaign;
        assert_eq!(campaign.buildings.len(), 14);
        let estate = campaign.building("xfl-01").unwrap();
        assert_eq!(estate.floors, vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(estate.door_count, 24);
        let tower = campaign.building("ht-tower").unwrap();
        assert_eq!(tower.floors.len(), 30);
        assert_eq!(tower.door_count, 240);
        assert_eq!(campaign.building("hp-street").unwrap().door_count, 20);
        assert_eq!(bundle.doors.len(), 12 * 24 + 240 + 20);
        let mut ids: Vec<&str> = bundle.doors.iter().map(|d| d.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), bundle.doors.len(), "door ids are unique");
        for form in &campaign.forms {
            CompiledForm::compile(form.clone()).expect("demo forms compile");
            for question in &form.questions {
                for lang in Lang::ALL {
                    assert!(question.label.0.contains_key(&lang), "{} lacks {lang:?}", question.id);
                }
            }
        }
    }

    #[test]
    fn the_demo_survives_a_json_round_trip() {
        let bundle = demo_campaign();
        let json = serde_json::to_string(&bundle).unwrap();
        assert!(json.contains(r#""kind":"integer""#), "questions are flat, XLSForm-like");
        let back: crate::campaign::CampaignBundle = serde_json::from_str(&json).unwrap();
        assert_eq!(back, bundle);
    }

    #[test]
    fn the_roster_validates_each_person_by_itself() {
        use crate::form::Entry;
        let form = CompiledForm::compile(household_roster_form()).unwrap();
        let today = "2026-11-28";
        let person = |id: &str, pairs: &[(&str, Answer)]| Entry { id: id.into(), answers: answers(pairs) };
        let well = [
            ("name", Answer::Text("Wang".into())),
            ("relation", Answer::Text("head".into())),
            ("age_band", Answer::Text("18-59".into())),
            ("tenure", Answer::Text("tenant".into())),
            ("returned_from", Answer::Text("none".into())),
            ("health_code", Answer::Text("green".into())),
        ];
        let mut back = answers(&well);
        back.insert("returned_from".into(), Answer::Text("abroad".into()));
        let roster = |entries: Vec<Entry>| answers(&[("people", Answer::Group(entries))]);
        assert!(form.validate(&roster(vec![person("a", &well)]), today).is_empty());
        let problems = form.validate(&roster(vec![person("a", &well), Entry { id: "b".into(), answers: back.clone() }]), today);
        let ids: Vec<&str> = problems.iter().map(|p| p.question_id.as_str()).collect();
        assert_eq!(ids, vec!["people/b/returned_on"], "only the returned person owes a date");
        assert_eq!(form.validate(&answers(&[]), today)[0].kind, ProblemKind::Required, "at least one person");
        let empty = form.prune(&roster(vec![person("e", &[])]), today);
        assert_eq!(form.validate(&empty, today).len(), 6, "an added, empty person owes the six required answers");
        // Two entries with one id cannot be told apart.
        let twins = roster(vec![person("a", &well), person("a", &well)]);
        assert_eq!(form.validate(&twins, today)[0].kind, ProblemKind::WrongType);
        // Pruning works inside each entry: a quarantine date goes with "none".
        let mut changed = back.clone();
        changed.insert("quarantine_until".into(), Answer::Text("2026-12-01".into()));
        changed.insert("returned_from".into(), Answer::Text("none".into()));
        let pruned = form.prune(&roster(vec![Entry { id: "b".into(), answers: changed }]), today);
        let Some(Answer::Group(entries)) = pruned.get("people") else { panic!("{pruned:?}") };
        assert!(!entries[0].answers.contains_key("quarantine_until"));
        // The answers survive JSON (the untagged answer tells a group from a list).
        let json = serde_json::to_string(&pruned).unwrap();
        assert_eq!(serde_json::from_str::<Answers>(&json).unwrap(), pruned);
    }

    #[test]
    fn erasing_personal_answers_keeps_choices_numbers_and_dates() {
        use crate::form::erase_personal_answers;
        let form = household_roster_form();
        let chen = answers(&[
            ("name", Answer::Text("Chen Mei Ling".into())),
            ("phone", Answer::Text("138 0013 8000".into())),
            ("relation", Answer::Text("head".into())),
            ("returned_from", Answer::Text("province".into())),
            ("returned_on", Answer::Text("2026-11-20".into())),
            ("health_code", Answer::Text("green".into())),
        ]);
        let mut household = answers(&[
            ("people", Answer::Group(vec![Entry { id: "p1".into(), answers: chen }])),
            ("note", Answer::Text("Chen's son visits on Sundays".into())),
        ]);
        erase_personal_answers(&form.questions, &mut household);
        let Some(Answer::Group(people)) = household.get("people") else { panic!("{household:?}") };
        assert_eq!(people[0].id, "p1", "a person keeps their id (their checks still count)");
        let kept: Vec<&str> = people[0].answers.keys().map(String::as_str).collect();
        assert_eq!(kept, vec!["health_code", "relation", "returned_from", "returned_on"]);
        assert!(!household.contains_key("note"), "text under an id the form does not ask is erased too");
    }

    #[test]
    fn repeat_groups_do_not_nest_and_inner_errors_name_their_path() {
        let mut form = household_roster_form();
        let nested = form.questions[0].clone();
        let crate::form::QuestionKind::Repeat { questions } = &mut form.questions[0].kind else { panic!() };
        questions[0].relevant = Some("${nowhere} = 1".into());
        questions.push(nested);
        let messages: Vec<String> = CompiledForm::compile(form).unwrap_err().iter().map(ToString::to_string).collect();
        assert!(messages.iter().any(|m| m.contains("cannot hold another repeat")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("'people/name'") && m.contains("${nowhere}")), "{messages:?}");
    }

    fn answers(pairs: &[(&str, Answer)]) -> Answers {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn household_form_skip_logic_and_constraints() {
        let form = CompiledForm::compile(household_form()).unwrap();
        let today = "2026-11-28";
        let base = [
            ("household_size", Answer::Number(2.0)),
            ("tenure", Answer::Text("tenant".into())),
            ("returned", Answer::Bool(false)),
            ("health_code", Answer::Text("green".into())),
        ];
        assert!(form.validate(&answers(&base), today).is_empty());

        // "returned" = yes makes the return questions relevant and required.
        let mut returned = answers(&base);
        returned.insert("returned".into(), Answer::Bool(true));
        let problems = form.validate(&returned, today);
        let ids: Vec<&str> = problems.iter().map(|p| p.question_id.as_str()).collect();
        assert_eq!(ids, vec!["returned_from", "returned_on"]);
        assert!(problems.iter().all(|p| p.kind == ProblemKind::Required));

        returned.insert("returned_from".into(), Answer::Text("abroad".into()));
        returned.insert("returned_on".into(), Answer::Text("2026-11-30".into()));
        returned.insert("quarantine_until".into(), Answer::Text("2026-11-20".into()));
        let problems = form.validate(&returned, today);
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].kind.message(Lang::En), "Cannot be after today");
        assert_eq!(problems[1].kind.message(Lang::ZhHans), "不能早于返回日期");

        // Answers to questions made irrelevant are dropped, not sent.
        let mut changed_mind = returned.clone();
        changed_mind.insert("returned".into(), Answer::Bool(false));
        let pruned = form.prune(&changed_mind, today);
        assert!(!pruned.contains_key("returned_from"));
        assert!(!pruned.contains_key("quarantine_until"));
        assert!(form.validate(&pruned, today).is_empty());
    }

    #[test]
    fn wrong_types_and_choices_are_reported() {
        let form = CompiledForm::compile(household_form()).unwrap();
        let bad = answers(&[
            ("household_size", Answer::Number(2.5)),
            ("tenure", Answer::Text("landlord".into())),
            ("returned", Answer::Text("maybe".into())),
            ("health_code", Answer::Text("green".into())),
        ]);
        let kinds: Vec<ProblemKind> = form.validate(&bad, "2026-11-28").into_iter().map(|p| p.kind).collect();
        assert_eq!(kinds, vec![ProblemKind::WrongType, ProblemKind::NotAChoice("landlord".into()), ProblemKind::WrongType]);
        let size_out_of_range = answers(&[("household_size", Answer::Number(31.0))]);
        let problems = form.validate(&size_out_of_range, "2026-11-28");
        assert_eq!(problems[0].kind.message(Lang::Ko), "1명에서 30명 사이여야 합니다");
    }

    #[test]
    fn broken_forms_are_refused_with_the_question_and_position() {
        let mut form = household_form();
        form.questions[1].relevant = Some("${household_size} >".into());
        form.questions[0].relevant = Some("${tenure} = 'owner'".into());
        form.questions[2].id = "tenure".into();
        let errors = CompiledForm::compile(form).unwrap_err();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(messages[0].contains("'household_size'") && messages[0].contains("not an earlier question"), "{messages:?}");
        assert!(messages[1].contains("at character 20"), "{messages:?}");
        assert!(messages[2].contains("used by an earlier question"), "{messages:?}");
    }

    #[test]
    fn answers_past_the_limits_or_outside_the_form_are_refused() {
        use crate::limits::{MAX_CHOICES_PER_ANSWER, MAX_GROUP_ENTRIES, MAX_TEXT_ANSWER_CHARS};
        let form = CompiledForm::compile(household_form()).unwrap();
        let today = "2026-11-28";
        let kinds = |answers: &Answers| -> Vec<(String, ProblemKind)> {
            // Only what these answers get wrong: the questions left out are not the point.
            form.validate(answers, today).into_iter().filter(|p| p.kind != ProblemKind::Required).map(|p| (p.question_id, p.kind)).collect()
        };
        let notes = |text: String| answers(&[("household_size", Answer::Number(2.0)), ("notes", Answer::Text(text))]);
        assert_eq!(kinds(&notes("x".repeat(MAX_TEXT_ANSWER_CHARS))), vec![]);
        assert_eq!(kinds(&notes("x".repeat(900_000))), vec![("notes".into(), ProblemKind::TooLong)]);
        assert_eq!(kinds(&notes("a\u{0}b".into())), vec![("notes".into(), ProblemKind::WrongType)]);
        let extra = answers(&[("household_size", Answer::Number(2.0)), ("salary", Answer::Number(9.0))]);
        assert_eq!(kinds(&extra), vec![("salary".into(), ProblemKind::NotInForm)]);
        assert_eq!(ProblemKind::NotInForm.message(Lang::En), "This form has no such question");
        let ticks = Answer::Choices(vec!["red".to_string(); MAX_CHOICES_PER_ANSWER + 1]);
        assert_eq!(kinds(&answers(&[("household_size", Answer::Number(2.0)), ("health_code", ticks)]))[0].1, ProblemKind::TooMany);

        let roster = CompiledForm::compile(household_roster_form()).unwrap();
        let entries = (0..=MAX_GROUP_ENTRIES).map(|i| Entry { id: format!("p{i}"), answers: Answers::new() }).collect();
        let crowd = answers(&[("household_size", Answer::Number(2.0)), ("people", Answer::Group(entries))]);
        let problems = roster.validate(&crowd, today);
        assert!(problems.iter().any(|p| p.question_id == "people" && p.kind == ProblemKind::TooMany), "{problems:?}");
    }

    #[test]
    fn forms_with_unusable_ids_are_refused() {
        let mut form = household_form();
        form.questions[0].id = "size\u{0}".into();
        let errors = CompiledForm::compile(form).unwrap_err();
        assert!(errors[0].message.contains("control character"), "{errors:?}");
    }
}
