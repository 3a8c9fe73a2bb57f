//! Every string a volunteer sees, in the four languages of `Lang`, and the
//! language choice both apps share.
//!
//! `Text` is an enum and each variant has exactly four strings, in the order
//! of `Lang::ALL` (zh-Hans, zh-Hant, en, ko): a missing translation does not
//! compile. The coordinator console keeps its own strings the same way
//! (`walkbook-console`'s `ConsoleText`), so none of them ship to a phone.

use leptos::prelude::*;
use walkbook_core::lang::Lang;
use walkbook_core::record::Outcome;

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
    ScreenNotLoaded,
    PartNotLoaded,
    Loading,
    LoadFailed,
    Done,
    Visited,
    StillOpen,
    Buildings,
    Revisits,
    FindDoor,
    FindPlaceholder,
    WipeTitle,
    WipeExplained,
    WipeConfirm,
    WipeBlocked,
    WipeNeedsServer,
    MyBuildings,
    NotYourBuilding,
    ReadingRegister,
    FoundPeople,
    FoundDoors,
    NoMatches,
    FloorUp,
    FloorDown,
    StatusUnvisited,
    StatusRevisit,
    StatusFinal,
    OutcomeAnswered,
    OutcomeNotHome,
    OutcomeRefused,
    OutcomeVacant,
    OutcomeNoAccess,
    OutcomeComeBack,
    OutcomeMoved,
    Outcome,
    ComeBackAt,
    Save,
    Saving,
    Saved,
    SaveFailed,
    QuotaFull,
    DraftRestored,
    FixProblems,
    ChooseOutcome,
    ComeBackTimeRequired,
    CloseFloor,
    FloorClosed,
    FloorStillOpen,
    NoRevisits,
    Due,
    Yes,
    No,
    Back,
    RequiredMark,
    SyncTitle,
    SyncWaiting,
    SyncAllSent,
    SyncOldest,
    SyncLast,
    SyncNever,
    SyncNow,
    SyncRunning,
    SyncUnreachable,
    SyncSignedOut,
    SyncRefused,
    NotJoined,
    Join,
    JoinTitle,
    JoinCode,
    Joined,
    JoinFailed,
    OnServer,
    NotYetSent,
    FromAnotherPhone,
    RelayedWaiting,
    StorageNearlyFull,
    DataWiped,
    History,
    Person,
    AddPerson,
    InstallTitle,
    InstallWhy,
    InstallNow,
    NotNow,
    InstalledHere,
    InstallFromMenu,
    IosStepShare,
    IosStepAdd,
    IosStepOpen,
    AtRiskTitle,
    AtRiskBody,
    NotSentYet,
    AddEntry,
    RemovePerson,
    RedCode,
    ChecksTitle,
    ChecksNone,
    Morning,
    Afternoon,
    CheckDue,
    CheckOverdue,
    CheckDone,
    Celsius,
    TemperatureInvalid,
    Fever,
    FeverHelp,
    PostNotice,
    NoticePosted,
    NoticeMissing,
    NoticeEveryFloor,
    HandOverUnsent,
    ImportHandover,
    HandoverImported,
    HandoverNothingNew,
    HandoverNotAPackage,
    HandoverOtherCampaign,
    HandoverOwnPackage,
    HandoverAltered,
    ShowCodes,
    CodeOf,
    TooManyForCodes,
    CloseCodes,
    ScanCodes,
    ScanAim,
    ScanProgress,
    StopScan,
    CameraUnavailable,
    ScanGaveUp,
    Needs,
    RaiseNeed,
    NeedGroceries,
    NeedMedicine,
    NeedParcel,
    NeedGarbage,
    NeedRepair,
    NeedOther,
    NeedOpen,
    NeedInProgress,
    NeedDone,
    NeedFor,
    WholeHousehold,
    NeedDetails,
    ChooseNeed,
    OpenNeedsHere,
    GateDuty,
    VisitorName,
    VisitorPhone,
    GoingTo,
    StaysAtGate,
    VisitorDoor,
    Delivery,
    VisitPurpose,
    HealthCodeShown,
    CodeGreen,
    CodeOrange,
    CodeNotShown,
    LetIn,
    TurnBack,
    GateWarning,
    VisitorNameMissing,
    VisitorPhoneInvalid,
    DoorNotInBuilding,
    GateEntryInvalid,
    TodayAtGate,
    NoVisitorsYet,
    EnterAgain,
    WeeklyChecks,
    LastSeen,
    WeeklyDueBy,
    WeeklyMissed,
    SeenAllWell,
    CampaignClosed,
    CampaignClosedOn,
    CampaignClosedUnsent,
    CorrectionReason,
    ReasonMissing,
    Withdraw,
    ReopenFloor,
}

/// A set of strings in the four languages, in the order of `Lang::ALL`.
pub trait Translated: Copy {
    fn strings(self) -> [&'static str; 4];
}

impl Translated for Text {
    fn strings(self) -> [&'static str; 4] {
        volunteer_strings(self)
    }
}

fn volunteer_strings(text: Text) -> [&'static str; 4] {
    use Text::*;
    match text {
        Tagline => ["每一户、每一层——没有信号也能登记。", "每一戶、每一層——沒有訊號也能登記。", "Every door, every floor — even with no signal.", "모든 집, 모든 층 — 신호가 없어도 기록합니다."],
        NavHome => ["首页", "首頁", "Home", "홈"],
        CorrectionReason => ["更正原因（必填）", "更正原因（必填）", "Why the change? (required)", "변경 사유 (필수)"],
        ReasonMissing => ["请先写明原因", "請先寫明原因", "Say why first", "먼저 사유를 적어 주세요"],
        Withdraw => ["撤回（误记）", "撤回（誤記）", "Withdraw (a mistake)", "철회 (잘못 기록)"],
        ReopenFloor => ["重新打开本层", "重新打開本層", "Reopen this floor", "이 층 다시 열기"],
        CampaignClosed => ["本次排查已结束", "本次排查已結束", "This campaign is closed", "이 조사는 종료되었습니다"],
        CampaignClosedOn => [
            "已于 {date} 结束。谢谢你的付出！已上传的记录和住户信息已从本机删除。",
            "已於 {date} 結束。謝謝你的付出！已上傳的記錄和住戶資料已從本機刪除。",
            "Closed {date}. Thank you! Records already on the server, and the residents in them, are erased from this phone.",
            "{date}에 종료되었습니다. 수고하셨습니다! 서버에 올라간 기록과 주민 정보는 이 휴대폰에서 삭제되었습니다.",
        ],
        CampaignClosedUnsent => [
            "还有 {n} 条记录没有上传：联网后自动上传，上传后从本机删除。",
            "還有 {n} 筆記錄沒有上傳：連網後自動上傳，上傳後從本機刪除。",
            "{n} records are not on the server yet: they are sent when there is a connection, then erased here.",
            "아직 서버에 없는 기록이 {n}건 있습니다. 연결되면 전송된 뒤 이 휴대폰에서 삭제됩니다.",
        ],
        NavAbout => ["关于与设置", "關於與設定", "About & settings", "정보 및 설정"],
        OfflineReady => ["已可离线使用", "已可離線使用", "Ready to work offline", "오프라인 사용 준비 완료"],
        OfflinePreparing => ["正在准备离线使用…", "正在準備離線使用…", "Preparing offline use…", "오프라인 사용 준비 중…"],
        OfflineUnsupported => ["此浏览器无法离线保存 Walkbook", "此瀏覽器無法離線保存 Walkbook", "This browser cannot keep Walkbook offline", "이 브라우저는 Walkbook을 오프라인으로 저장할 수 없습니다"],
        UpdateReady => ["Walkbook 有新版本。", "Walkbook 有新版本。", "A new version of Walkbook is ready.", "Walkbook 새 버전이 준비되었습니다."],
        UpdateReload => ["重新加载", "重新載入", "Reload", "새로고침"],
        AboutTitle => ["关于与设置", "關於與設定", "About & settings", "정보 및 설정"],
        AppVersion => ["应用版本", "應用程式版本", "App version", "앱 버전"],
        Language => ["语言", "語言", "Language", "언어"],
        StoragePersistence => ["持久存储", "持久儲存", "Persistent storage", "영구 저장소"],
        StorageGranted => ["已授权：浏览器不会清除您的记录", "已授權：瀏覽器不會清除您的記錄", "Granted: the browser will not clear your records", "허용됨: 브라우저가 기록을 지우지 않습니다"],
        StorageNotGranted => ["未授权", "未授權", "Not granted", "허용되지 않음"],
        StorageUnknown => ["正在检查…", "正在檢查…", "Checking…", "확인 중…"],
        StorageUsage => ["已用存储", "已用儲存空間", "Storage used", "사용한 저장 공간"],
        StorageNotGrantedHelp => ["请将 Walkbook 添加到主屏幕，浏览器才会保留您的记录。", "請將 Walkbook 加入主畫面，瀏覽器才會保留您的記錄。", "Install Walkbook to your home screen so the browser keeps your records.", "브라우저가 기록을 보관하도록 Walkbook을 홈 화면에 추가하세요."],
        ScreenNotLoaded => ["此页面尚未保存到本机：请联网后再打开一次。", "此頁面尚未儲存到本機：請連上網路後再開啟一次。", "This screen is not on this phone yet: connect to the internet once and open it again.", "이 화면은 아직 휴대폰에 저장되지 않았습니다. 인터넷에 한 번 연결한 뒤 다시 여세요."],
        PartNotLoaded => ["这部分功能尚未保存到本机：请联网一次后再试。", "這部分功能尚未儲存到本機：請連上網路一次後再試。", "This part of the app is not on this phone yet: connect to the internet once and try again.", "이 기능은 아직 휴대폰에 저장되지 않았습니다. 인터넷에 한 번 연결한 뒤 다시 시도하세요."],
        NotFound => ["此页面不存在。", "此頁面不存在。", "This page does not exist.", "이 페이지는 없습니다."],
        Loading => ["正在加载…", "正在載入…", "Loading…", "불러오는 중…"],
        LoadFailed => ["无法读取本机数据", "無法讀取本機資料", "Could not read this phone's data", "이 휴대폰의 데이터를 읽을 수 없습니다"],
        Done => ["已完成", "已完成", "Done", "완료"],
        Visited => ["已走访", "已走訪", "Visited", "방문함"],
        StillOpen => ["未完成", "未完成", "Still open", "미완료"],
        Buildings => ["楼栋", "樓棟", "Buildings", "건물"],
        Revisits => ["待回访", "待回訪", "Revisits", "재방문"],
        FindDoor => ["查找门牌或住户", "查找門牌或住戶", "Find a door or a person", "호수·주민 찾기"],
        FindPlaceholder => [
            "门牌号、姓名或电话号码",
            "門牌號、姓名或電話號碼",
            "Door label, name or phone digits",
            "호수, 이름 또는 전화번호",
        ],
        ReadingRegister => ["正在读取本机登记的住户…", "正在讀取本機登記的住戶…", "Reading the register on this phone…", "이 휴대폰의 주민 명부를 읽는 중…"],
        WipeTitle => ["退出并清除本机数据", "登出並清除本機資料", "Sign out and wipe this phone", "로그아웃하고 이 휴대폰 지우기"],
        WipeExplained => [
            "记录都已上传。退出后，本机上的住户信息和记录全部删除。",
            "記錄都已上傳。登出後，本機上的住戶資料和記錄全部刪除。",
            "Every record is on the server. Signing out deletes the residents and records on this phone.",
            "모든 기록이 서버에 있습니다. 로그아웃하면 이 휴대폰의 주민 정보와 기록이 삭제됩니다.",
        ],
        WipeConfirm => ["再点一次确认清除", "再點一次確認清除", "Tap again to wipe this phone", "한 번 더 누르면 지워집니다"],
        WipeBlocked => [
            "还有 {n} 条记录没有上传到服务器：先同步，再退出。",
            "還有 {n} 筆記錄沒有上傳到伺服器：先同步，再登出。",
            "{n} records are not on the server yet: sync first, then sign out.",
            "아직 서버에 없는 기록이 {n}건 있습니다. 먼저 동기화한 뒤 로그아웃하세요.",
        ],
        WipeNeedsServer => [
            "需要连上服务器才能退出：有网络时再试。",
            "需要連上伺服器才能登出：有網路時再試。",
            "Signing out needs the server: try again with a connection.",
            "로그아웃하려면 서버에 연결되어야 합니다. 연결되면 다시 시도하세요.",
        ],
        MyBuildings => ["我的楼栋", "我的樓棟", "My buildings", "내 건물"],
        NotYourBuilding => [
            "这栋楼没有分配给你，不能在这里登记。",
            "這棟樓沒有分配給你，不能在這裡登記。",
            "This building is not assigned to you: nothing can be recorded here.",
            "이 건물은 배정되지 않아 여기서는 기록할 수 없습니다.",
        ],
        FoundPeople => ["住户", "住戶", "People", "주민"],
        FoundDoors => ["门牌", "門牌", "Doors", "호수"],
        NoMatches => ["没有找到符合的门牌或住户", "沒有找到符合的門牌或住戶", "No door or person matches", "일치하는 호수나 주민이 없습니다"],
        FloorUp => ["上一层", "上一層", "Floor up", "위층"],
        FloorDown => ["下一层", "下一層", "Floor down", "아래층"],
        StatusUnvisited => ["未走访", "未走訪", "Not visited", "미방문"],
        StatusRevisit => ["需回访", "需回訪", "Revisit", "재방문 필요"],
        StatusFinal => ["已完成", "已完成", "Done", "완료"],
        OutcomeAnswered => ["已登记", "已登記", "Answered", "응답함"],
        OutcomeNotHome => ["无人在家", "無人在家", "Not home", "부재중"],
        OutcomeRefused => ["拒绝", "拒絕", "Refused", "거부"],
        OutcomeVacant => ["空置", "空置", "Vacant", "공실"],
        OutcomeNoAccess => ["无法进入", "無法進入", "No access", "출입 불가"],
        OutcomeComeBack => ["约定再来", "約定再來", "Come back", "다시 방문"],
        OutcomeMoved => ["已搬走", "已搬走", "Moved out", "이사함"],
        Outcome => ["走访结果", "走訪結果", "Outcome", "방문 결과"],
        ComeBackAt => ["再来的时间", "再來的時間", "Come back at", "다시 방문할 시간"],
        Save => ["保存", "保存", "Save", "저장"],
        Saving => ["正在保存…", "正在保存…", "Saving…", "저장 중…"],
        Saved => ["已保存", "已保存", "Saved", "저장됨"],
        SaveFailed => ["保存失败", "保存失敗", "Not saved", "저장 실패"],
        QuotaFull => ["手机存储已满，记录未保存。请删除照片或其他应用的数据，然后再点保存。", "手機儲存空間已滿，記錄未保存。請刪除照片或其他應用程式的資料，然後再按保存。", "This phone's storage is full and the record was not saved. Free space (photos, other apps' data), then tap Save again.", "휴대폰 저장 공간이 가득 차서 기록이 저장되지 않았습니다. 사진이나 다른 앱 데이터를 지운 뒤 다시 저장을 누르세요."],
        DraftRestored => ["已恢复未保存的草稿", "已恢復未保存的草稿", "Unsaved draft restored", "저장하지 않은 초안을 복원했습니다"],
        FixProblems => ["请先更正标出的问题", "請先更正標出的問題", "Fix the marked answers first", "표시된 답을 먼저 고치세요"],
        ChooseOutcome => ["请选择走访结果", "請選擇走訪結果", "Choose an outcome", "방문 결과를 선택하세요"],
        ComeBackTimeRequired => ["请填写再来的时间", "請填寫再來的時間", "Give the time to come back", "다시 방문할 시간을 입력하세요"],
        CloseFloor => ["本层完成", "本層完成", "Close this floor", "이 층 완료"],
        FloorClosed => ["本层已完成", "本層已完成", "Floor closed", "이 층 완료됨"],
        FloorStillOpen => ["还有未完成的户：", "還有未完成的戶：", "Doors still open:", "미완료 세대:"],
        NoRevisits => ["没有待回访的户", "沒有待回訪的戶", "No doors to revisit", "재방문할 세대가 없습니다"],
        Due => ["约定时间", "約定時間", "Due", "예정"],
        Yes => ["是", "是", "Yes", "예"],
        No => ["否", "否", "No", "아니요"],
        Back => ["返回", "返回", "Back", "뒤로"],
        RequiredMark => ["必填", "必填", "required", "필수"],
        SyncTitle => ["同步", "同步", "Sync", "동기화"],
        SyncWaiting => ["条记录待上传", "筆記錄待上傳", "records waiting to upload", "건 업로드 대기"],
        SyncAllSent => ["所有记录已上传", "所有記錄已上傳", "Every record is on the server", "모든 기록이 서버에 있습니다"],
        SyncOldest => ["最早一条保存于", "最早一筆保存於", "oldest saved at", "가장 오래된 기록 저장 시각"],
        SyncLast => ["上次同步", "上次同步", "Last sync", "마지막 동기화"],
        SyncNever => ["从未同步", "從未同步", "Never synced", "동기화한 적 없음"],
        SyncNow => ["立即同步", "立即同步", "Sync now", "지금 동기화"],
        SyncRunning => ["正在同步…", "正在同步…", "Syncing…", "동기화 중…"],
        SyncUnreachable => ["连不上服务器，记录安全保存在手机上，稍后自动重试。", "連不上伺服器，記錄安全保存在手機上，稍後自動重試。", "Cannot reach the server. Records are safe on this phone; retrying by itself.", "서버에 연결할 수 없습니다. 기록은 휴대폰에 안전하게 있으며 자동으로 다시 시도합니다."],
        SyncSignedOut => ["登录已失效，请向负责人要新的加入码。记录仍保存在手机上。", "登入已失效，請向負責人要新的加入碼。記錄仍保存在手機上。", "Signed out: ask your coordinator for a new join code. Records stay on this phone.", "로그인이 만료되었습니다. 담당자에게 새 참여 코드를 요청하세요. 기록은 휴대폰에 남아 있습니다."],
        SyncRefused => ["服务器拒收的记录", "伺服器拒收的記錄", "Records the server refused", "서버가 거부한 기록"],
        NotJoined => ["尚未加入活动：记录只保存在本机。", "尚未加入活動：記錄只保存在本機。", "Not joined to a campaign yet: records stay on this phone only.", "아직 캠페인에 참여하지 않았습니다. 기록은 이 휴대폰에만 저장됩니다."],
        Join => ["加入", "加入", "Join", "참여"],
        JoinTitle => ["加入活动", "加入活動", "Join a campaign", "캠페인 참여"],
        JoinCode => ["加入码", "加入碼", "Join code", "참여 코드"],
        Joined => ["已加入，您好", "已加入，您好", "Joined. Welcome", "참여했습니다. 환영합니다"],
        JoinFailed => ["加入失败", "加入失敗", "Could not join", "참여하지 못했습니다"],
        OnServer => ["已上传", "已上傳", "on server", "서버에 있음"],
        NotYetSent => ["未上传", "未上傳", "not sent yet", "아직 전송 안 됨"],
        FromAnotherPhone => ["其他手机移交，未上传", "其他手機移交，未上傳", "from another phone, not sent yet", "다른 휴대폰 기록, 아직 전송 안 됨"],
        RelayedWaiting => ["其中 {n} 条来自其他手机", "其中 {n} 筆來自其他手機", "{n} of them from another phone", "그중 {n}건은 다른 휴대폰 기록"],
        StorageNearlyFull => ["手机存储快满了：请尽快同步并清理空间，否则记录将无法保存。", "手機儲存空間快滿了：請盡快同步並清理空間，否則記錄將無法保存。", "This phone's storage is nearly full: sync and free space soon, or records cannot be saved.", "휴대폰 저장 공간이 거의 찼습니다. 곧 동기화하고 공간을 비우세요. 그렇지 않으면 기록을 저장할 수 없습니다."],
        DataWiped => ["本机的 Walkbook 数据已被清除（浏览器或手机设置）。之前未上传的记录已丢失；已上传的记录在服务器上是安全的。", "本機的 Walkbook 資料已被清除（瀏覽器或手機設定）。之前未上傳的記錄已遺失；已上傳的記錄在伺服器上是安全的。", "Walkbook's data on this phone was cleared (by the browser or the phone's settings). Records not synced before are lost; synced records are safe on the server.", "이 휴대폰의 Walkbook 데이터가 삭제되었습니다(브라우저 또는 휴대폰 설정). 동기화하지 않은 기록은 사라졌고, 동기화한 기록은 서버에 안전하게 있습니다."],
        History => ["走访记录", "走訪記錄", "Visits so far", "방문 기록"],
        Person => ["成员", "成員", "Person", "구성원"],
        AddPerson => ["添加成员", "添加成員", "Add a person", "구성원 추가"],
        InstallTitle => ["安装 Walkbook", "安裝 Walkbook", "Install Walkbook", "Walkbook 설치"],
        InstallWhy => [
            "安装后从主屏幕打开，没有网络也能用，记录由手机保存，不会被浏览器清除。",
            "安裝後從主畫面開啟，沒有網路也能用，記錄由手機保存，不會被瀏覽器清除。",
            "Installed, it opens from the Home Screen, works with no network, and the browser does not clear its records.",
            "설치하면 홈 화면에서 열리고, 네트워크 없이도 작동하며, 브라우저가 기록을 지우지 않습니다.",
        ],
        InstallNow => ["安装", "安裝", "Install", "설치"],
        NotNow => ["以后再说", "以後再說", "Not now", "나중에"],
        InstalledHere => ["已安装在这部手机上", "已安裝在這部手機上", "Installed on this phone", "이 휴대폰에 설치됨"],
        InstallFromMenu => [
            "在浏览器菜单中选择“安装应用”或“添加到主屏幕”。",
            "在瀏覽器選單中選擇「安裝應用程式」或「加入主畫面」。",
            "In the browser's menu, choose \"Install app\" or \"Add to Home screen\".",
            "브라우저 메뉴에서 '앱 설치' 또는 '홈 화면에 추가'를 고르세요.",
        ],
        IosStepShare => [
            "在 Safari 底部工具栏点“分享”（带向上箭头的方框）。",
            "在 Safari 底部工具列點「分享」（帶向上箭頭的方框）。",
            "In Safari's toolbar, tap Share (the square with an arrow).",
            "Safari 도구 막대에서 공유(화살표가 있는 네모)를 누르세요.",
        ],
        IosStepAdd => [
            "向下滑，选择“添加到主屏幕”，再点“添加”。",
            "向下滑，選擇「加入主畫面」，再點「新增」。",
            "Scroll down, choose \"Add to Home Screen\", then Add.",
            "아래로 내려 '홈 화면에 추가'를 고른 뒤 '추가'를 누르세요.",
        ],
        IosStepOpen => [
            "以后都从主屏幕上的 Walkbook 图标打开。",
            "以後都從主畫面上的 Walkbook 圖示開啟。",
            "From now on, open Walkbook from its icon on the Home Screen.",
            "앞으로는 홈 화면의 Walkbook 아이콘으로 여세요.",
        ],
        AtRiskTitle => ["记录可能被浏览器删除", "記錄可能被瀏覽器刪除", "Records could be deleted by the browser", "브라우저가 기록을 지울 수 있습니다"],
        AtRiskBody => [
            "Walkbook 正在浏览器标签页里运行，浏览器没有承诺保留它的数据：未上传的记录可能被删除（Safari 七天不用就会清除）。安装 Walkbook 就能保住它们。",
            "Walkbook 正在瀏覽器分頁裡執行，瀏覽器沒有承諾保留它的資料：未上傳的記錄可能被刪除（Safari 七天不用就會清除）。安裝 Walkbook 就能保住它們。",
            "Walkbook is open in a browser tab, and the browser has not promised to keep its data: records not yet sent could be deleted (Safari clears them after seven days unused). Install Walkbook to keep them.",
            "Walkbook이 브라우저 탭에서 열려 있고, 브라우저가 데이터 보관을 약속하지 않았습니다. 보내지 않은 기록이 지워질 수 있습니다(Safari는 7일 동안 쓰지 않으면 지웁니다). Walkbook을 설치하면 지킬 수 있습니다.",
        ],
        NotSentYet => ["尚未上传：", "尚未上傳：", "Not sent yet:", "아직 보내지 않음:"],
        AddEntry => ["再添加一项", "再添加一項", "Add another", "하나 더 추가"],
        RemovePerson => ["删除", "刪除", "Remove", "삭제"],
        RedCode => ["红码", "紅碼", "Red code", "빨간 코드"],
        ChecksTitle => ["体温监测", "體溫監測", "Temperature checks", "체온 확인"],
        ChecksNone => ["现在没有要测的体温", "現在沒有要測的體溫", "No temperature checks due", "지금 확인할 체온이 없습니다"],
        Morning => ["上午", "上午", "Morning", "오전"],
        Afternoon => ["下午", "下午", "Afternoon", "오후"],
        CheckDue => ["待测", "待測", "Due now", "지금 확인"],
        CheckOverdue => ["已逾期", "已逾期", "Overdue", "기한 지남"],
        CheckDone => ["已测", "已測", "Done", "완료"],
        Celsius => ["体温 °C", "體溫 °C", "Temperature °C", "체온 °C"],
        TemperatureInvalid => ["请输入 34 到 43 之间的体温", "請輸入 34 到 43 之間的體溫", "Enter a temperature between 34 and 43 °C", "34~43°C 사이의 체온을 입력하세요"],
        Fever => ["发热", "發熱", "Fever", "발열"],
        FeverHelp => ["体温达到或超过发热线，请立即报告", "體溫達到或超過發熱線，請立即報告", "At or above the fever threshold: report it now", "발열 기준 이상입니다. 즉시 보고하세요"],
        PostNotice => ["本层已张贴告示", "本層已張貼告示", "Notice posted on this floor", "이 층에 안내문 게시함"],
        NoticePosted => ["告示已张贴", "告示已張貼", "Notice posted", "안내문 게시됨"],
        NoticeMissing => ["尚未张贴告示的楼层", "尚未張貼告示的樓層", "Floors still without the notice", "안내문이 없는 층"],
        NoticeEveryFloor => ["每层都已张贴告示", "每層都已張貼告示", "Notice posted on every floor", "모든 층에 안내문 게시됨"],
        HandOverUnsent => ["移交未上传的记录", "移交未上傳的記錄", "Hand over unsent records", "미전송 기록 넘기기"],
        ImportHandover => ["导入其他手机移交的记录", "匯入其他手機移交的記錄", "Import records from another phone", "다른 휴대폰의 기록 가져오기"],
        HandoverImported => [
            "已导入其他手机的 {n} 条记录，将由本机上传",
            "已匯入其他手機的 {n} 筆記錄，將由本機上傳",
            "{n} records from another phone imported: this phone will send them",
            "다른 휴대폰의 기록 {n}건을 가져왔습니다. 이 휴대폰이 전송합니다",
        ],
        HandoverNothingNew => ["没有新记录：本机已有这些记录", "沒有新記錄：本機已有這些記錄", "Nothing new: this phone already has these records", "새 기록 없음: 이미 이 휴대폰에 있습니다"],
        HandoverNotAPackage => [
            "这不是完整的移交文件，未导入任何记录",
            "這不是完整的移交檔案，未匯入任何記錄",
            "This file is not a whole handover package: nothing was imported",
            "완전한 기록 이관 파일이 아닙니다. 아무것도 가져오지 않았습니다",
        ],
        HandoverOtherCampaign => [
            "该文件属于其他排查活动，未导入任何记录",
            "該檔案屬於其他排查活動，未匯入任何記錄",
            "This package is from another campaign: nothing was imported",
            "다른 캠페인의 파일입니다. 아무것도 가져오지 않았습니다",
        ],
        HandoverOwnPackage => ["这是本机自己移交的记录", "這是本機自己移交的記錄", "This package was made on this phone", "이 휴대폰에서 만든 파일입니다"],
        HandoverAltered => [
            "文件已被改动（签名不符），未导入任何记录",
            "檔案已被改動（簽名不符），未匯入任何記錄",
            "This package was altered (a signature does not match): nothing was imported",
            "파일이 변경되었습니다(서명 불일치). 아무것도 가져오지 않았습니다",
        ],
        ShowCodes => ["▦ 显示为二维码", "▦ 顯示為二維碼", "▦ Show as codes", "▦ QR 코드로 보기"],
        CodeOf => [
            "第 {i} 个，共 {n} 个：请另一部手机扫描全部二维码",
            "第 {i} 個，共 {n} 個：請另一部手機掃描全部二維碼",
            "Code {i} of {n}: let the other phone scan them all",
            "{n}개 중 {i}번째 코드: 다른 휴대폰으로 모두 스캔하세요",
        ],
        TooManyForCodes => [
            "记录太多，无法显示为二维码：请以文件移交",
            "記錄太多，無法顯示為二維碼：請以檔案移交",
            "Too many records for codes: hand them over as a file",
            "기록이 너무 많아 QR 코드로 보낼 수 없습니다. 파일로 넘기세요",
        ],
        CloseCodes => ["关闭二维码", "關閉二維碼", "Close the codes", "코드 닫기"],
        ScanCodes => ["扫描另一部手机的二维码", "掃描另一部手機的二維碼", "Scan codes from another phone", "다른 휴대폰의 코드 스캔"],
        ScanAim => [
            "将相机对准另一部手机上的二维码",
            "將相機對準另一部手機上的二維碼",
            "Point the camera at the other phone's codes",
            "카메라를 다른 휴대폰의 코드에 맞추세요",
        ],
        ScanProgress => ["已读取 {have} / {n} 个二维码", "已讀取 {have} / {n} 個二維碼", "Codes read: {have} of {n}", "읽은 코드: {n}개 중 {have}개"],
        StopScan => ["停止扫描", "停止掃描", "Stop scanning", "스캔 중지"],
        CameraUnavailable => [
            "无法打开相机：请改用文件导入",
            "無法開啟相機：請改用檔案匯入",
            "The camera could not be opened: import the file instead",
            "카메라를 열 수 없습니다. 파일로 가져오세요",
        ],
        ScanGaveUp => [
            "一分钟内没有读到新的二维码，已停止扫描",
            "一分鐘內沒有讀到新的二維碼，已停止掃描",
            "No new code for a minute: scanning stopped",
            "1분 동안 새 코드가 없어 스캔을 멈췄습니다",
        ],
        Needs => ["生活需求", "生活需求", "Needs", "생활 요청"],
        RaiseNeed => ["登记需求", "登記需求", "Raise a need", "요청 등록"],
        NeedGroceries => ["买菜购物", "買菜購物", "Groceries", "장보기"],
        NeedMedicine => ["药品", "藥品", "Medicine", "약"],
        NeedParcel => ["快递", "快遞", "Parcel", "택배"],
        NeedGarbage => ["垃圾清运", "垃圾清運", "Garbage", "쓰레기 수거"],
        NeedRepair => ["维修", "維修", "Repair", "수리"],
        NeedOther => ["其他", "其他", "Other", "기타"],
        NeedOpen => ["待处理", "待處理", "Open", "대기"],
        NeedInProgress => ["处理中", "處理中", "In progress", "처리 중"],
        NeedDone => ["已办结", "已辦結", "Done", "완료"],
        NeedFor => ["为谁", "為誰", "For whom", "누구를 위해"],
        WholeHousehold => ["全户", "全戶", "The whole household", "가구 전체"],
        NeedDetails => ["具体内容", "具體內容", "Details", "내용"],
        ChooseNeed => ["请选择需求类型", "請選擇需求類型", "Choose what is needed", "요청 종류를 고르세요"],
        OpenNeedsHere => ["本层待办需求", "本層待辦需求", "Open needs on this floor", "이 층의 대기 요청"],
        GateDuty => ["门岗登记", "門崗登記", "Gate duty", "출입 관리"],
        VisitorName => ["姓名或简称", "姓名或簡稱", "Name or initials", "이름 또는 이니셜"],
        VisitorPhone => ["电话", "電話", "Phone", "전화번호"],
        GoingTo => ["前往", "前往", "Going to", "방문할 동"],
        StaysAtGate => ["不进小区（门口交接）", "不進社區（門口交接）", "Stays at the gate", "정문에서 대기"],
        VisitorDoor => ["门牌（可不填）", "門牌（可不填）", "Door (optional)", "호수 (선택)"],
        Delivery => ["快递或送货", "快遞或送貨", "Delivery", "배달"],
        VisitPurpose => ["事由", "事由", "Purpose", "방문 목적"],
        HealthCodeShown => ["健康码", "健康碼", "Health code", "건강 코드"],
        CodeGreen => ["绿码", "綠碼", "Green", "초록"],
        CodeOrange => ["橙码", "橙碼", "Orange", "주황색"],
        CodeNotShown => ["未出示", "未出示", "Not shown", "미제시"],
        LetIn => ["放行", "放行", "Let in", "입장 허용"],
        TurnBack => ["劝返", "勸返", "Turn back", "돌려보냄"],
        GateWarning => ["发热或红码：不得进入，请劝返并报告", "發熱或紅碼：不得進入，請勸返並報告", "Fever or red code: do not let in; turn back and report it", "발열 또는 빨간 코드: 입장 불가, 돌려보내고 보고하세요"],
        VisitorNameMissing => ["请填写姓名或简称", "請填寫姓名或簡稱", "Write a name or initials", "이름이나 이니셜을 적으세요"],
        VisitorPhoneInvalid => ["电话只能填数字", "電話只能填數字", "A phone number is digits only", "전화번호는 숫자만 적으세요"],
        DoorNotInBuilding => ["所选楼栋没有这个门牌", "所選樓棟沒有這個門牌", "The chosen building has no such door", "선택한 동에 없는 호수입니다"],
        GateEntryInvalid => ["登记内容有误，请检查", "登記內容有誤，請檢查", "Check what was typed", "입력 내용을 확인하세요"],
        TodayAtGate => ["今日登记", "今日登記", "Today at this gate", "오늘 출입 기록"],
        NoVisitorsYet => ["今天还没有登记", "今天還沒有登記", "No one yet today", "오늘 기록 없음"],
        EnterAgain => ["再次进入", "再次進入", "Again", "재입장"],
        WeeklyChecks => ["独居及需帮扶人员每周探视", "獨居及需幫扶人員每週探視", "People living alone: weekly look", "독거·돌봄 주민 주간 방문"],
        LastSeen => ["上次探视", "上次探視", "Last seen", "마지막 방문"],
        WeeklyDueBy => ["最迟于", "最遲於", "Look in by", "방문 기한"],
        WeeklyMissed => ["已超过一周未探视，应于", "已超過一週未探視，應於", "Missed: a look was owed by", "놓침: 방문 기한"],
        SeenAllWell => ["已探视，一切正常", "已探視，一切正常", "Seen: all well", "방문함: 이상 없음"],
    }
}

pub fn translate(lang: Lang, text: impl Translated) -> &'static str {
    let index = Lang::ALL.iter().position(|l| *l == lang).expect("Lang::ALL lists every language");
    text.strings()[index]
}

/// "Floor 12" in each language's own word order.
pub fn floor_name(lang: Lang, floor: i32) -> String {
    match lang {
        Lang::ZhHans => format!("{floor} 层"),
        Lang::ZhHant => format!("{floor} 層"),
        Lang::En => format!("Floor {floor}"),
        Lang::Ko => format!("{floor}층"),
    }
}

pub fn outcome_text(outcome: &Outcome) -> Text {
    match outcome {
        Outcome::Answered => Text::OutcomeAnswered,
        Outcome::NotHome => Text::OutcomeNotHome,
        Outcome::Refused => Text::OutcomeRefused,
        Outcome::Vacant => Text::OutcomeVacant,
        Outcome::NoAccess => Text::OutcomeNoAccess,
        Outcome::ComeBack { .. } => Text::OutcomeComeBack,
        Outcome::Moved => Text::OutcomeMoved,
    }
}

/// The chosen language, shared through context. Reading `t` inside a reactive
/// closure re-renders that text when the volunteer switches language.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    pub fn t(self, text: impl Translated) -> &'static str {
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
        let preferred: Vec<String> = window().navigator().languages().iter().filter_map(|value| value.as_string()).collect();
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
