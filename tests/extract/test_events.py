"""EventAssembler: candidates from mentions (roles, blocking cues, groups, places)."""
from __future__ import annotations

import pytest

from ahdath.extract.events import Candidate
from ahdath.pipeline import Pipeline
from ahdath.text.normalize import norm


@pytest.fixture(scope="module")
def assemble(pipeline: Pipeline):
    assembler = pipeline._assembler

    def run(text: str) -> list[Candidate]:
        # mentions read for the report's country, as the pipeline reads them
        return assembler.assemble(pipeline.mentions(text)[0])

    return run


def _key(role) -> str | None:
    return role.key if role is not None else None


def test_events_air_strike_candidate(assemble) -> None:
    (c,) = assemble("شنت طائرات حربية روسية غارات جوية على بلدة كفرنبل في ريف إدلب.")
    assert c.sub_event_type == "Air/drone strike"
    assert c.event_type == "Explosions/Remote violence"
    assert c.place is not None and c.place.name == "كفرنبل"
    assert c.triggers


def test_events_clash_has_both_sides(assemble) -> None:
    (c,) = assemble("اندلعت اشتباكات عنيفة بين قوات النظام وتنظيم الدولة الإسلامية في محيط مدينة دير الزور.")
    assert c.event_type == "Battles"
    assert {_key(c.actor1), _key(c.actor2)} == {"SYR_REGIME", "ISIS"}


@pytest.mark.parametrize(
    "text",
    [
        "لم تسجل أي غارات جوية على ريف إدلب اليوم.",
        "تهدد قوات النظام بشن هجوم واسع على بلدة خان شيخون في ريف إدلب.",
        "فاز فريق الجيش على فريق الاتحاد بثلاثة أهداف في الدوري السوري لكرة القدم.",
        "",
    ],
    ids=["negation", "future-threat", "sports", "empty"],
)
def test_events_no_candidate(assemble, text: str) -> None:
    assert assemble(text) == []


def test_events_two_kinds_in_one_sentence(assemble) -> None:
    cs = assemble("قصفت الطائرات الروسية مدينة خان شيخون بعدة غارات، فيما استهدفت قوات النظام "
                  "بالمدفعية الثقيلة بلدة كفرنبل في ريف إدلب.")
    subs = {(c.sub_event_type, c.place.name if c.place else None) for c in cs}
    assert ("Air/drone strike", "خان شيخون") in subs
    assert ("Shelling/artillery/missile attack", "كفرنبل") in subs


def test_events_fatalities_from_number_word(assemble) -> None:
    cs = assemble("أدى قصف قوات النظام إلى مقتل خمسة مدنيين في بلدة كفرنبل بريف إدلب.")
    assert any(c.fatalities.count == 5 for c in cs)


def test_events_village_list_one_candidate_each(assemble) -> None:
    cs = assemble("قصفت قوات النظام قرى كفرنبل وحاس وكفرومة في ريف إدلب الجنوبي.")
    assert len({c.place.name for c in cs if c.place}) == 3


def test_events_capture_by_regime_is_government_regains(assemble) -> None:
    cs = assemble("سيطرت قوات النظام على بلدة مورك في ريف حماة الشمالي بعد معارك عنيفة.")
    assert any(c.sub_event_type == "Government regains territory" and _key(c.actor1) == "SYR_REGIME" for c in cs)


@pytest.mark.parametrize(
    "text",
    [
        "قتل مدنيان، اليوم الثلاثاء، جراء غارة جوية لطائرة حربية روسية على مدينة سراقب.",
        "قتل مدنيان إثر غارة جوية روسية على مدينة سراقب.",
        "قتل مدنيان اليوم الثلاثاء جراء غارة جوية روسية على مدينة سراقب.",
        "استشهد طفلان، مساء أمس، بغارة جوية روسية على مدينة سراقب.",
    ],
    ids=["commas", "no-commas", "time-words", "children"],
)
def test_events_dual_victims_are_civilians_and_two_dead(assemble, text: str) -> None:
    (c,) = assemble(text)
    assert c.sub_event_type == "Air/drone strike"
    assert (_key(c.actor1), _key(c.actor2)) == ("RUSSIA", "CIVILIANS")
    assert c.fatalities.count == 2


@pytest.mark.parametrize(
    "text, sub, agent, target, deaths, place",
    [
        (("ارتفعت حصيلة ضحايا الغارات الجوية الروسية على مدينة معرة النعمان جنوبي إدلب إلى سبعة قتلى "
          "مدنيين، اليوم الثلاثاء."), "Air/drone strike", "RUSSIA", "CIVILIANS", 7, "معره النعمان"),
        ("وارتفعت حصيلة ضحايا القصف المدفعي لقوات النظام على بلدة كفرنبل إلى خمسة قتلى.",
         "Shelling/artillery/missile attack", "SYR_REGIME", None, 5, "كفرنبل"),
        ("ارتفاع حصيلة ضحايا الغارات الروسية على مدينة سراقب إلى تسعة قتلى من المدنيين.",
         "Air/drone strike", "RUSSIA", "CIVILIANS", 9, "سراقب"),
    ],
    ids=["rose-to-seven", "clitic-waw-shelling", "verbal-noun"],
)
def test_events_toll_update_reports_the_strike(assemble, text: str, sub: str, agent: str, target: str | None,
                                               deaths: int, place: str) -> None:
    (c,) = assemble(text)
    assert c.sub_event_type == sub
    assert (_key(c.actor1), _key(c.actor2)) == (agent, target)
    assert c.fatalities.count == deaths
    assert c.place is not None and c.place.name == place  # names are normalized (ة -> ه)


@pytest.mark.parametrize(
    "text",
    [
        "ارتفعت حصيلة ضحايا الغارات الجوية على إدلب منذ بداية العام إلى 500 قتيل.",
        "بلغت حصيلة ضحايا الغارات الجوية الروسية على إدلب 200 قتيل.",
    ],
    ids=["rose-since-start-of-year", "total-without-rise"],
)
def test_events_period_tolls_stay_statistics(assemble, text: str) -> None:
    assert assemble(text) == []


@pytest.mark.parametrize(
    "text, victim, deaths",
    [
        (("قتل عنصران من قوات النظام، أمس الأحد، بانفجار عبوة ناسفة استهدفت سيارتهما على طريق مدينة طفس "
          "في ريف درعا الغربي."), "SYR_REGIME", 2),
        ("قتل ثلاثة من قوات النظام بانفجار عبوة ناسفة على طريق مدينة طفس.", "SYR_REGIME", 3),
        ("أصيب جنديان من قوات النظام بانفجار لغم أرضي في مدينة طفس.", "SYR_REGIME", None),
        ("مقتل قيادي في هيئة تحرير الشام بانفجار عبوة ناسفة في مدينة سراقب.", "HTS", 1),
    ],
    ids=["dual-soldiers", "partitive-count", "wounded", "commander"],
)
def test_events_unclaimed_bomb_victims_are_the_target(assemble, text: str, victim: str, deaths: int | None) -> None:
    (c,) = assemble(text)
    assert c.sub_event_type == "Remote explosive/landmine/IED"
    assert (_key(c.actor1), _key(c.actor2)) == ("UNKNOWN", victim)
    assert c.fatalities.count == deaths


def test_events_bomber_named_as_killer_stays_actor1(assemble) -> None:
    (c,) = assemble("قتل تنظيم الدولة ثلاثة مدنيين بتفجير عبوة ناسفة في مدينة طفس.")
    assert (_key(c.actor1), _key(c.actor2)) == ("ISIS", "CIVILIANS")


@pytest.mark.parametrize(("text", "agent", "target"), [
    # the maker named before the bomb; the side named after it is the one hit
    ("فجر تنظيم الدولة عبوة ناسفة بسيارة لقوات النظام في مدينة دير الزور.", "ISIS", "SYR_REGIME"),
    ("فجر انتحاري من تنظيم داعش حزامه الناسف وسط تجمع لقوات النظام في مدينة دير الزور.", "ISIS", "SYR_REGIME"),
    # unclaimed: whoever the sentence names after the bomb is where it went off, not who set it
    ("انفجرت سيارة مفخخة على حاجز لقوات سوريا الديمقراطية في مدينة الرقة.", "UNKNOWN", "SDF"),
    ("انفجرت عبوة ناسفة بدورية لقوات سوريا الديمقراطية في بلدة الشحيل بريف دير الزور.", "UNKNOWN", "SDF"),
    # unidentified aircraft are the attacker; the headquarters they hit are the target's
    ("استهدفت طائرات مجهولة مقرات للحرس الثوري الإيراني في مدينة البوكمال.", "UNKNOWN", "IRAN_MILITIA"),
    ("شنت مقاتلات حربية مجهولة يعتقد أنها إسرائيلية غارات على مواقع للمليشيات الإيرانية في البوكمال.",
     "ISRAEL", "IRAN_MILITIA"),
], ids=["ied-subject", "suicide-bomber-of", "car-bomb-at-checkpoint", "ied-on-patrol", "unknown-aircraft",
        "suspected-israeli"])
def test_events_remote_violence_roles(assemble, text: str, agent: str, target: str) -> None:
    (c,) = assemble(text)
    assert (_key(c.actor1), _key(c.actor2)) == (agent, target)


@pytest.mark.parametrize(("text", "force"), [
    ("قتل ثلاثة أشخاص وأصيب آخرون على أيدي قوات الأمن السورية خلال مظاهرة خرجت ظهر اليوم في مدينة حمص.",
     "Police Forces of Syria (2000-2024)"),
    ("فتحت قوات الأمن السورية النار على مظاهرة في بلدة نوى، ما أدى إلى مقتل شابين من المتظاهرين.",
     "Police Forces of Syria (2000-2024)"),
    ("لقي خمسة محتجين حتفهم برصاص الشرطة السورية أثناء تفريق اعتصام في مدينة جاسم.",
     "Police Forces of Syria (2000-2024)"),
    ("قتل متظاهر برصاص مسلحين مجهولين خلال وقفة احتجاجية في مدينة السويداء.", "Unidentified Armed Group (Syria)"),
], ids=["killed-at-hands-of", "opened-fire-on", "shot-dispersing-sit-in", "unknown-gunmen"])
def test_events_protesters_killed_by_a_force_is_excessive_force_by_that_force(pipeline, text: str,
                                                                             force: str) -> None:
    """ACLED's excessive force: the force that used it is actor1, the demonstrators actor2 (as for
    an attack); in a protest with intervention the demonstrators stay actor1."""
    (e,) = pipeline.extract_text(text, published="2021-05-05")
    assert (e.sub_event_type, e.actor1, e.actor2) == ("Excessive force against protesters", force,
                                                      "Protesters (Syria)")


def test_events_people_killed_by_shelling_are_civilians(assemble) -> None:
    (c,) = assemble("قتل 14 شخصا جراء قصف لقوات النظام بصواريخ أرض أرض على مدينة دوما في الغوطة الشرقية.")
    assert (c.sub_event_type, _key(c.actor1), _key(c.actor2)) == \
        ("Shelling/artillery/missile attack", "SYR_REGIME", "CIVILIANS")


@pytest.mark.parametrize(("text", "places"), [
    # a place named right after another, without "و" or a comma, is where that one lies
    ("قتل خمسة عناصر من قوات النظام في هجوم شنه مسلحون مجهولون في بادية الميادين بريف دير الزور الشرقي.",
     ["باديه الميادين"]),
    # a coordinated list stays one scene per town, its region after it aside
    ("قصفت قوات النظام قرى الصياد وسرحا والمستريحة بريف حماة الشمالي.", ["الصياد", "سرحا", "المستريحه"]),
], ids=["within-region", "list-then-region"])
def test_events_one_scene_per_listed_place(assemble, text: str, places: list[str]) -> None:
    assert [norm(c.place.name) for c in assemble(text)] == [norm(p) for p in places]


def test_events_generic_strike_in_its_own_clause_is_kept(assemble) -> None:
    cs = assemble("أخلت القوات الروسية نقطتها في بلدة مورك بريف حماة نتيجة القصف المتواصل من فصائل المعارضة، "
                  "كما انسحبت قوات النظام من بلدة كفرزيتا.")
    assert [(c.sub_event_type, norm(c.place.name)) for c in cs] == [
        ("Shelling/artillery/missile attack", norm("مورك")), ("Non-violent transfer of territory", norm("كفرزيتا"))]
    assert (_key(cs[0].actor1), _key(cs[0].actor2)) == ("OPPOSITION", "RUSSIA")


@pytest.mark.parametrize(("text", "toll"), [
    ("قصفت طائرة مسيرة إسرائيلية سيارة على طريق عام في بلدة جدرا جنوب لبنان. وأدت الضربة إلى مقتل شخصين أحدهما مدني.", 2),
    ("شنت طائرات حربية روسية غارات على بلدة كفرنبل. وأسفر القصف عن مقتل ثلاثة مدنيين.", 3),
    # a toll the incident already has is not replaced by a later restatement
    ("قتل خمسة مدنيين بغارات روسية على بلدة كفرنبل. وأسفر القصف عن مقتل سبعة.", 5),
], ids=["next-sentence", "generic-strike-word", "own-toll-kept"])
def test_events_toll_told_after_the_incident_is_its(assemble, text: str, toll: int) -> None:
    (c,) = assemble(text)
    assert c.fatalities.count == toll


@pytest.mark.parametrize(("text", "agent", "target"), [
    # the police command told the news; the shells' side is not named, the street hit is a civilian one
    ("ونقلت وكالة سانا عن مصدر في قيادة الشرطة قوله إن عدة قذائف سقطت على شارع المدارس في حي باب توما.",
     "UNKNOWN", "CIVILIANS"),
    # a military source of the regime says its air force struck: the regime flies
    ("قال مصدر عسكري في قوات النظام إن الطيران الحربي قصف بلدة كفرنبل بعدة غارات.", "SYR_REGIME", None),
], ids=["police-source", "army-source"])
def test_events_news_source_is_not_a_side(assemble, text: str, agent: str, target: str | None) -> None:
    (c,) = assemble(text)
    assert (_key(c.actor1), _key(c.actor2)) == (agent, target)


def test_events_generic_explosion_caused_by_the_bombing_is_the_bombing(assemble) -> None:
    cs = assemble("دوى انفجار ضخم نفذه تنظيم الدولة بأطراف قرية الجنينة جراء تفجير انتحاري من التنظيم بسيارة "
                  "مفخخة على أطراف بلدة البغيلية.")
    assert [c.sub_event_type for c in cs] == ["Suicide bomb"]


def test_events_places_listed_after_the_incident_are_its_places(assemble) -> None:
    cs = assemble("سيطر الجيش الوطني السوري على خمس قرى جديدة غرب مدينة عفرين. "
                  "ووفق المصادر، فإن القرى هي نسرية ودوكان وجقلا في ناحية جنديرس.")
    assert [norm(c.place.name) for c in cs] == [norm(n) for n in ("نسرية", "دوكان", "جقلا")]
    assert {(c.sub_event_type, _key(c.actor1)) for c in cs} == {("Non-state actor overtakes territory", "SNA")}


@pytest.mark.parametrize(("text", "sub", "agent", "target"), [
    ("انسحبت قوات النظام من بلدة التريمسة إثر تقدم الفصائل المسلحة.",
     "Non-state actor overtakes territory", "OPPOSITION", "SYR_REGIME"),
    ("انسحبت قوات النظام من بلدة التريمسة بعد معارك عنيفة مع فصائل المعارضة.",
     "Non-state actor overtakes territory", "OPPOSITION", "SYR_REGIME"),
    ("انسحب تنظيم الدولة من قرية البغيلية إثر هجوم واسع شنته قوات النظام.",
     "Government regains territory", "SYR_REGIME", "ISIS"),
    # under a deal the ground is handed over, not taken
    ("انسحبت فصائل المعارضة من بلدة التريمسة بموجب اتفاق مع قوات النظام.",
     "Non-violent transfer of territory", "OPPOSITION", "SYR_REGIME"),
], ids=["advance", "after-clashes", "regime-regains", "deal"])
def test_events_withdrawal_forced_by_fighting_is_ground_taken(assemble, text: str, sub: str, agent: str,
                                                              target: str) -> None:
    c = next(c for c in assemble(text) if "territory" in c.sub_event_type)
    assert (c.sub_event_type, _key(c.actor1), _key(c.actor2)) == (sub, agent, target)


@pytest.mark.parametrize(("text", "agent", "backer"), [
    # rebels Turkey backs are the Syrian National Army (the guidelines' key for its operations' factions)
    ("أفادت مصادر بأن الجيش السوري الحر مدعوما بالجيش التركي سيطر على قرية نسرية جنوب غرب مدينة عفرين.",
     "SNA", "TURKEY"),
    ("سيطرت فصائل المعارضة بدعم من الجيش التركي على بلدة قباسين شمال حلب.", "SNA", "TURKEY"),
    ("سيطرت قوات سوريا الديمقراطية بدعم من التحالف الدولي على قرية الشحيل في ريف دير الزور.", "SDF", "COALITION"),
    ("سيطرت قوات النظام بدعم من الطيران الروسي على بلدة خان شيخون جنوب إدلب.", "SYR_REGIME", "RUSSIA"),
], ids=["backed-by", "turkish-backed-rebels", "with-support-of", "other-backer"])
def test_events_backer_is_the_agents_associate(assemble, text: str, agent: str, backer: str) -> None:
    (c,) = [c for c in assemble(text) if c.event_type == "Battles"]
    assert (_key(c.actor1), _key(c.assoc1)) == (agent, backer)


@pytest.mark.parametrize(("text", "places"), [
    # a place inside an actor's name is not a scene
    ("اندلعت معارك عنيفة بين قوات النظام وجيش إدلب الحر قرب مدينة إدلب.", ["ادلب"]),
    ("اندلعت معارك عنيفة بين قوات النظام وجيش إدلب الحر.", []),
    # the province a region borders is a reference, not a second scene
    ("شنت فصائل المعارضة هجوما مضادا في ريف حماة الشمالي المحاذي لإدلب.", ["ريف حماه الشمالي"]),
], ids=["name-and-city", "name-only", "bordering"])
def test_events_places_that_are_not_scenes(assemble, text: str, places: list[str]) -> None:
    cs = assemble(text)
    assert [norm(c.place.name) for c in cs if c.place is not None and not c.place_inherited] == \
        [norm(p) for p in places]


def test_events_who_speaks_is_not_the_civilian_hit(assemble) -> None:
    cs = assemble("وقال الناشط الإعلامي أحمد الحموي إن قوات النظام تحاول التقدم على محاور قرى #الكبارية و #معان، "
                  "ما دفع فصائل المعارضة للتصدي لها.")
    assert [(c.sub_event_type, {_key(c.actor1), _key(c.actor2)}) for c in cs] == \
        [("Armed clash", {"SYR_REGIME", "OPPOSITION"})] * 2


@pytest.mark.parametrize("text", [
    "اعتقلت الأجهزة الأمنية عددا من الجرحى ونقلتهم بطائرات مروحية إلى جهة غير معلومة في درعا.",
    "وتم انتشال ثماني جثث من تحت الأنقاض في مدينة رفح.",
], ids=["transport", "recovery"])
def test_events_words_that_only_look_like_an_attack(assemble, text: str) -> None:
    assert [c.sub_event_type for c in assemble(text)] in ([], ["Arrests"])


def test_events_breach_of_a_ceasefire_is_not_a_deal(assemble) -> None:
    cs = assemble("قتل شخص في غارة شنتها طائرة مسيرة إسرائيلية على سيارة جنوب لبنان، في أحدث خرق لاتفاق وقف "
                  "إطلاق النار.")
    assert [c.sub_event_type for c in cs] == ["Air/drone strike"]


def test_events_handover_happens_where_people_left_not_where_they_went(assemble) -> None:
    cs = assemble("سلمت فصائل المعارضة بلدة قدسيا لقوات النظام بموجب اتفاق يقضي بترحيل المسلحين إلى مدينة إدلب.")
    assert {(c.sub_event_type, norm(c.place.name)) for c in cs} == {
        ("Non-violent transfer of territory", norm("قدسيا")), ("Agreement", norm("قدسيا"))}
    deal = next(c for c in cs if c.sub_event_type == "Agreement")
    assert {_key(deal.actor1), _key(deal.actor2)} == {"OPPOSITION", "SYR_REGIME"}


def test_events_toll_of_the_clause_an_incident_caused(assemble) -> None:
    (c,) = assemble("أفاد المرصد بمقتل 28 مدنيًا على الأقل، وإصابة العشرات بجروح، جراء قصف لقوات النظام بصواريخ "
                    "أرض أرض على مدينة دوما.")
    assert (c.fatalities.count, _key(c.actor1), _key(c.actor2)) == (28, "SYR_REGIME", "CIVILIANS")


@pytest.mark.parametrize(("text", "agent"), [
    ("قتل أربعة من عناصر الدفاع الوطني في هجوم شنه مسلحون، يرجح أنهم تابعون لخلايا تنظيم داعش، في بادية "
     "الميادين بريف دير الزور الشرقي.", "ISIS"),
    ("هاجم مسلحون مجهولون حاجزا لقوات النظام في بلدة طفس بريف درعا.", "UNKNOWN"),
], ids=["tied-to-a-group", "unknown-gunmen"])
def test_events_gunmen_tied_to_a_group(assemble, text: str, agent: str) -> None:
    (c,) = assemble(text)
    assert _key(c.actor1) == agent


def test_events_nationality_of_the_raids_is_who_flew_them(assemble) -> None:
    (c,) = assemble("ارتفعت حصيلة قتلى الغارات الروسية على بلدة كفرنبل إلى سبعة قتلى.")
    assert (_key(c.actor1), c.fatalities.count) == ("RUSSIA", 7)


def test_events_where_people_fled_is_not_the_scene(assemble) -> None:
    cs = assemble("قصفت قوات النظام مدينة طفس بالمدفعية. وأضاف المراسل أن قوات النظام استهدفت بعد ذلك المزارع "
                  "المحيطة بالمدينة بعشرات القذائف المدفعية، وسط حركة نزوح للأهالي باتجاه بلدة اليادودة المجاورة.")
    assert norm("اليادودة") not in {norm(c.place.name) for c in cs if c.place is not None}


def test_events_where_reinforcements_arrived_can_be_the_scene(assemble) -> None:
    (c,) = assemble("وصلت تعزيزات لقوات النظام إلى بلدة طفس، حيث اندلعت اشتباكات عنيفة مع مقاتلين محليين.")
    assert (c.sub_event_type, norm(c.place.name)) == ("Armed clash", norm("طفس"))


def test_events_a_deal_after_a_handover_is_its_own_event(assemble) -> None:
    cs = assemble("انسحب مسلحو المعارضة من بلدة قدسيا بريف دمشق. وذكرت القناة أن اتفاقا بين النظام وفصائل "
                  "المعارضة قضى بترحيل المسلحين إلى مدينة إدلب.")
    assert sorted(c.sub_event_type for c in cs) == ["Agreement", "Non-violent transfer of territory"]
    # the deal is placed where the report is, not where it sends people
    assert {norm(c.place.name) for c in cs} == {norm("قدسيا")}


# --- an explosion with no weapon named -------------------------------------------------------

@pytest.mark.parametrize(
    "text, place, toll",
    [
        ("دوى انفجار في مدينة إعزاز صباح اليوم.", "اعزاز", None),
        ("انفجرت سيارة قرب دوار في مدينة الباب ظهر اليوم.", "الباب", None),
        ("قتل ثلاثة أشخاص بانفجار في بلدة سرمدا.", "سرمدا", 3),
        ("وأدى الانفجار الذي هز مدينة الباب إلى مقتل شخصين.", "الباب", 2),
    ],
    ids=["rocked-town", "car-exploded", "toll-and-town", "toll-after"],
)
def test_events_bare_explosion_is_an_explosion_of_unknown_kind(assemble, text: str, place: str,
                                                                 toll: int | None) -> None:
    (c,) = assemble(text)
    # ACLED: an explosion whose weapon the report does not name is a remote explosive, by a side unknown
    assert (c.event_type, c.sub_event_type) == ("Explosions/Remote violence", "Remote explosive/landmine/IED")
    assert _key(c.actor1) == "UNKNOWN"
    assert c.place is not None and norm(c.place.name) == norm(place)
    assert c.fatalities.count == toll


@pytest.mark.parametrize(
    "text",
    [
        "تتواصل التفجيرات في مدينة الباب منذ أشهر.",
        "سمع دوي انفجار في ريف دير الزور الشرقي.",
        "أعرب المسؤول عن قلقه من انفجار الأوضاع في المنطقة.",
    ],
    ids=["plural-series", "sound-over-a-region", "no-place-no-toll"],
)
def test_events_bare_explosion_that_is_no_incident(assemble, text: str) -> None:
    assert assemble(text) == []


def test_events_bare_explosion_yields_to_the_weapon_named(assemble) -> None:
    (c,) = assemble("انفجرت عبوة ناسفة بسيارة عسكرية في مدينة الباب.")
    assert c.sub_event_type == "Remote explosive/landmine/IED"
    (c,) = assemble("شنت طائرات حربية روسية غارة على بلدة كفرنبل ما أدى إلى انفجار كبير.")
    assert c.sub_event_type == "Air/drone strike"


# --- a verb and its object apart -------------------------------------------------------------

@pytest.mark.parametrize(
    "text, sub, actor1, place",
    [
        ("أطلق مسلحون مجهولون النار على شاب في بلدة كفرنبل.", "Attack", "UNKNOWN", "كفرنبل"),
        ("ألقت قوات النظام القبض على ثلاثة شبان في مدينة الباب.", "Arrests", "SYR_REGIME", "الباب"),
        ("أحرزت قوات النظام تقدما على محور بلدة كفرنبل.", "Government regains territory", "SYR_REGIME",
         "كفرنبل"),
        ("تجمع مئات المتظاهرين أمام مبنى المحافظة في مدينة الباب.", "Peaceful protest", "PROTESTERS", "الباب"),
    ],
    ids=["open-fire", "arrest", "advance", "gather"],
)
def test_events_verb_and_object_apart(assemble, text: str, sub: str, actor1: str, place: str) -> None:
    (c,) = assemble(text)
    assert c.sub_event_type == sub
    assert _key(c.actor1) == actor1
    assert c.place is not None and norm(c.place.name) == norm(place)


def test_events_future_verb_blocks_what_it_announces(assemble) -> None:
    assert assemble("ستشن الطائرات الحربية غارات على بلدة كفرنبل.") == []
    assert assemble("وسيقصف الطيران الروسي مواقع الفصائل في بلدة كفرنبل.") == []


# -- roles: whom a strike hit, claims, who holds a place, allies, drones ----------------------------


def _pair(c: Candidate) -> tuple[str | None, str | None]:
    return _key(c.actor1), _key(c.actor2)


@pytest.mark.parametrize("text, pair", [
    # homes or civilians hit: civilians
    ("استهدف القصف الإسرائيلي منزلاً في بلدة الخيام فجر اليوم.", ("ISRAEL", "CIVILIANS")),
    ("قصفت قوات النظام أحياء سكنية في مدينة سراقب بالمدفعية الثقيلة.", ("SYR_REGIME", "CIVILIANS")),
    ("شنت طائرات التحالف غارة على قاعة زفاف في مدينة المخا اليمنية.", ("SAUDI_COALITION", "CIVILIANS")),
    # positions or fighters hit: the armed side
    ("قصفت قوات النظام بالمدفعية مواقع هيئة تحرير الشام في بلدة كفرنبل.", ("SYR_REGIME", "HTS")),
    ("استهدفت طائرة مسيرة تركية موقعا عسكريا لقسد في قرية تل العيد.", ("TURKEY", "SDF")),
])
def test_events_strike_target_is_whom_it_hit(assemble, text: str, pair: tuple[str, str]) -> None:
    cs = [c for c in assemble(text) if c.event_type == "Explosions/Remote violence"]
    assert cs and _pair(cs[0]) == pair


@pytest.mark.parametrize("text, agent", [
    ("تبنى تنظيم الدولة الإسلامية الهجوم على حاجز لقوات النظام في بلدة الصنمين.", "ISIS"),
    ("أعلنت هيئة تحرير الشام مسؤوليتها عن تفجير استهدف رتلا لقوات النظام قرب سراقب.", "HTS"),
    ("انفجرت سيارة مفخخة قرب حاجز لقسد في مدينة الطبقة، وتبنى تنظيم داعش التفجير.", "ISIS"),
])
def test_events_claim_of_responsibility_names_the_agent(assemble, text: str, agent: str) -> None:
    cs = assemble(text)
    assert cs and _key(cs[0].actor1) == agent


@pytest.mark.parametrize("text", [
    "سقطت قذائف على حي في مدينة تعز الخاضعة لسيطرة الحوثيين.",
    "انفجرت عبوة ناسفة في مدينة الباب الخاضعة لسيطرة الجيش الوطني.",
])
def test_events_who_holds_a_place_is_not_the_agent(assemble, text: str) -> None:
    (c,) = assemble(text)
    assert _key(c.actor1) not in ("HOUTHI", "SNA")


def test_events_who_holds_a_struck_site_is_its_target_when_no_other_side_is(assemble) -> None:
    (c,) = assemble("قصف طيران التحالف معسكرات في صنعاء الخاضعة لسيطرة الحوثيين.")
    assert _pair(c) == ("SAUDI_COALITION", "HOUTHI")


@pytest.mark.parametrize("text, agent, associate", [
    ("قصفت قوات النظام والطيران الروسي بلدة كفرنبل في ريف إدلب.", "SYR_REGIME", "RUSSIA"),
    ("هاجمت قوات الجيش العراقي والحشد الشعبي مواقع لداعش في قضاء الحويجة.", "IRAQ_GOV", "PMF"),
])
def test_events_allies_attacking_together_are_one_side(assemble, text: str, agent: str, associate: str) -> None:
    cs = assemble(text)
    assert cs and _key(cs[0].actor1) == agent and _key(cs[0].assoc1) == associate
    assert _key(cs[0].actor2) != associate


def test_events_between_allies_and_their_enemy(assemble) -> None:
    (c,) = assemble("اندلعت اشتباكات بين قوات الجيش العراقي والحشد الشعبي من جهة وتنظيم داعش من جهة أخرى "
                    "في قضاء الحويجة.")
    assert {_key(c.actor1), _key(c.actor2)} == {"IRAQ_GOV", "ISIS"}


@pytest.mark.parametrize("text, pair", [
    # armed groups fly drones: the group that sent one is the agent, not the side hit
    ("شن حزب الله هجوما بطائرات مسيرة على موقع عسكري إسرائيلي.", ("HEZBOLLAH", "ISRAEL")),
    ("استهدفت جماعة الحوثي بطائرة مسيرة قاعدة عسكرية للقوات الحكومية في محافظة لحج.", ("HOUTHI", "YEMEN_GOV")),
    # ... but not warplanes
    ("قصفت طائرات حربية تابعة لهيئة تحرير الشام مواقع في ريف إدلب.", (None, "HTS")),
])
def test_events_drones_are_flown_by_armed_groups(assemble, text: str, pair) -> None:
    cs = [c for c in assemble(text) if c.sub_event_type == "Air/drone strike"]
    assert cs
    got = _pair(cs[0])
    assert got[1] == pair[1] and (pair[0] is None or got[0] == pair[0])


def test_events_bomb_that_killed_unnamed_people_killed_civilians(assemble) -> None:
    (c,) = assemble("قتل سبعة أشخاص بانفجار سيارة مفخخة في سوق مدينة أعزاز.")
    assert _key(c.actor2) == "CIVILIANS"


@pytest.mark.parametrize("text, scene", [
    # a bearing after a comma says where the place lies, not one more scene
    ("اندلعت مواجهات عنيفة بين الجيش والحوثيين في مديرية الحشاء، غرب الضالع.", "الحشاء"),
    ("قصفت قوات النظام بلدة كفرنبل، جنوب إدلب، بالمدفعية.", "كفرنبل"),
])
def test_events_bearing_after_a_comma_is_not_a_scene(assemble, text: str, scene: str) -> None:
    cs = assemble(text)
    assert [c.place.name for c in cs if c.place is not None] == [norm(scene)]


@pytest.mark.parametrize("text, scene", [
    # the towns a road is named after place an incident only when nothing else does
    ("انفجرت عبوة ناسفة بسيارة عسكرية على طريق حلب - دمشق قرب بلدة سراقب.", "سراقب"),
    ("انفجرت عبوة ناسفة بسيارة على طريق أم باطنة - نبع الصخر.", "أم باطنة"),
    # ... the place named right after the road with "في" or "ب" is where the road lies, and a place
    # named before the trigger does not beat the road it happened on
    ("وشهدت درعا هجمات متكررة، وقتل شخصان بانفجار عبوة ناسفة على طريق اليادودة - المزيريب في درعا.", "اليادودة"),
    ("قتل عنصر بانفجار لغم على طريق الحسكة - الشدادي بريف الحسكة الجنوبي.", "الحسكة"),
    # where a drone took off is not where it struck
    ("استهدفت طائرة مسيرة انطلقت من مدينة تعز قاعدة العند العسكرية.", "العند"),
])
def test_events_roads_and_launch_sites_are_not_scenes(assemble, text: str, scene: str) -> None:
    cs = assemble(text)
    assert cs and cs[0].place is not None and cs[0].place.name == norm(scene)


@pytest.mark.parametrize(
    "text, taker",
    [
        ("سيطر مسلحو تنظيم داعش على أحياء في مدينة هيت. وجاء ذلك بعد قتال عنيف مع القوات العراقية التي نفذت "
         "انسحابات متتالية من مدينة هيت.", "ISIS"),
        ("هاجم مسلحو داعش قضاء حديثة في محافظة الأنبار. وأفاد شهود بأن القوات العراقية نفذت انسحابا من قضاء حديثة "
         "بعد معارك استمرت يومين.", "ISIS"),
        ("تقدمت فصائل المعارضة في ريف حماة الشمالي. وأكد ناشطون أن قوات النظام انسحبت من بلدة حلفايا إثر اشتباكات "
         "عنيفة.", "OPPOSITION"),
    ],
    ids=["fighting-named-in-the-sentence", "side-named-before", "side-named-before-2"],
)
def test_events_withdrawal_told_in_another_sentence_is_ground_taken(assemble, text: str, taker: str) -> None:
    cs = assemble(text)
    assert "Non-violent transfer of territory" not in {c.sub_event_type for c in cs}
    assert any(c.sub_event_type == "Non-state actor overtakes territory" and _key(c.actor1) == taker for c in cs)


@pytest.mark.parametrize(
    "text",
    [
        "وتعرضت الحافلات التي تقل العمال إلى إطلاق نار قرب مدينة أجدابيا.",
        "وتسببت الهجمات في تهجير آلاف المدنيين من قرى ريف سنار.",
    ],
    ids=["buses", "displacement"],
)
def test_events_buses_and_displacement_hand_over_no_ground(assemble, text: str) -> None:
    assert "Non-violent transfer of territory" not in {c.sub_event_type for c in assemble(text)}


@pytest.mark.parametrize(
    "text, sub",
    [
        ("ألقى مجهولون قنبلة على منزل مختار بلدة صلخد مساء أمس.", "Grenade"),
        ("وألقى مسلحون قنابل على مقر حزبي في مدينة شهبا.", "Grenade"),
    ],
    ids=["thrown-at-a-house", "thrown-at-an-office"],
)
def test_events_bombs_thrown(assemble, text: str, sub: str) -> None:
    assert [c.sub_event_type for c in assemble(text)] == [sub]


def test_events_thrown_words_that_are_not_bombs(assemble) -> None:
    assert assemble("وألقى المحافظ كلمة في افتتاح المدرسة في بلدة داعل.") == []


@pytest.mark.parametrize(
    "text, told",
    [
        ("ووصلت جثث الضحايا إلى مستشفى مدينة تدمر.", False),
        ("وتم نقل الجثث إلى المستشفى الوطني في مدينة السويداء.", False),
        ("عثر الأهالي على جثة شاب مقتولا بالرصاص قرب بلدة المسيفرة.", True),
        ("ألقى مجهولون جثة رجل على طريق بلدة الكرك.", True),
    ],
    ids=["bodies-arrive", "bodies-taken", "body-found", "body-dumped"],
)
def test_events_a_body_is_an_attack_where_it_is_found_or_dumped(assemble, text: str, told: bool) -> None:
    assert bool(assemble(text)) is told


@pytest.mark.parametrize(
    "text, scene",
    [
        ("أصيب خمسة مدنيين بقصف على بلدة كفرنبل وتم نقلهم إلى مستشفى مدينة إدلب.", "كفرنبل"),
        ("جرح عشرات الأشخاص في انفجار بمدينة أعزاز ونقلتهم سيارات الإسعاف إلى مستشفيات مدينة كلس.", "اعزاز"),
    ],
    ids=["wounded-taken", "ambulances"],
)
def test_events_where_the_wounded_were_taken_is_no_scene(assemble, text: str, scene: str) -> None:
    assert {norm(c.place.name) for c in assemble(text) if c.place} == {norm(scene)}


@pytest.mark.parametrize("text, pair", [
    # the noun right after the subject, with no "و" joining it, is the verb's object, not an ally
    ("اعتقلت قوات الجيش العراقي ثلاثة إرهابيين في قضاء الحويجة.", ("IRAQ_GOV", "ISIS")),
    ("اعتقلت القوات الأمنية العراقية خمسة إرهابيين في مدينة الرمادي.", ("IRAQ_GOV", "ISIS")),
    # ... while a side joined by "و" acts with it
    ("قصفت قوات النظام والميليشيات الإيرانية بلدة كفرنبل.", ("SYR_REGIME", None)),
])
def test_events_object_after_the_subject_is_the_target(assemble, text: str, pair: tuple[str, str | None]) -> None:
    cs = assemble(text)
    assert cs
    assert (_key(cs[0].actor1), _key(cs[0].actor2) if pair[1] else None) == pair


@pytest.mark.parametrize("text, agent", [
    # an arrest whose sentence names no one making it: made by the force the report is about
    ("شنت قوات سوريا الديمقراطية حملة دهم واسعة في بلدة الشحيل. كما اعتقل ثلاثة مدنيين في بلدة ذيبان.", "SDF"),
    ("توغلت قوات الاحتلال الإسرائيلي في قرية جباتا الخشب بريف القنيطرة. واعتقل شابان من أبناء قرية أوفانيا.",
     "ISRAEL"),
    ("داهمت قوات الأمن العراقية منازل في قضاء الحويجة. وجرى اعتقال أربعة مطلوبين في قرية الرشاد.", "IRAQ_GOV"),
])
def test_events_arrest_with_no_one_named_making_it(assemble, text: str, agent: str) -> None:
    arrests = [c for c in assemble(text) if c.sub_event_type == "Arrests"]
    assert arrests and all(_key(c.actor1) == agent for c in arrests)


@pytest.mark.parametrize("text", [
    # a total over several towns is no town's toll, but it still says whom the bombs killed
    "ضربت تفجيرات انتحارية شنها تنظيم داعش مدينتي القامشلي والحسكة وراح ضحيتها أكثر من 40 قتيلا.",
    "قتل 25 شخصا في تفجيرين انتحاريين نفذهما تنظيم الدولة في بلدتي الشدادي ومركدة.",
])
def test_events_bombs_that_killed_people_over_several_towns_hit_civilians(assemble, text: str) -> None:
    cs = [c for c in assemble(text) if c.sub_event_type == "Suicide bomb"]
    assert len(cs) == 2
    assert all(_key(c.actor2) == "CIVILIANS" and c.fatalities.count is None for c in cs)


@pytest.mark.parametrize("text, sub, pair", [
    # a verb with no subject of its own goes on with the subject of the clause before it
    ("وصلت تعزيزات قوات النظام صباح اليوم إلى أطراف كفرزيتا، ثم سيطرت على مقرات هيئة تحرير الشام في البلدة.",
     "Government regains territory", ("SYR_REGIME", "HTS")),
    ("هاجمت قوات النظام صباح اليوم بلدة كفرزيتا، حيث سيطرت على مقرات هيئة تحرير الشام في البلدة.",
     "Government regains territory", ("SYR_REGIME", "HTS")),
    ("شنت قوات سوريا الديمقراطية هجوما واسعا، ثم سيطرت على مواقع تنظيم الدولة في بلدة الباغوز.",
     "Non-state actor overtakes territory", ("SDF", "ISIS")),
])
def test_events_verb_without_subject_goes_on_with_the_one_before(assemble, text: str, sub: str,
                                                                 pair: tuple[str, str]) -> None:
    cs = [c for c in assemble(text) if c.sub_event_type == sub]
    assert cs and (_key(cs[0].actor1), _key(cs[0].actor2)) == pair


@pytest.mark.parametrize("text, scene", [
    # a settlement word with other words before it and no "في", "ب" or bearing introduces a scene of its
    # own, not where the place before it lies
    ("وعقب زحف هيئة تحرير الشام المتمركزة في إدلب مع حلفائها على بلدة كفرنبل، اندلعت اشتباكات عنيفة مع الفيلق "
     "الثالث.", "كفرنبل"),
    ("وبعد هجوم قوات النظام المتمركزة في حماة مع الميليشيات على قرية حاس دارت اشتباكات عنيفة مع الفصائل.", "حاس"),
    ("قصفت قوات النظام المتمركزة في معرة النعمان بالمدفعية قرية حاس.", "حاس"),
    # ... while a settlement after a bearing or "في" says where the place before it lies
    ("استهدفت طائرات مسيرة مهبطا في قرية جب رملة شمال مدينة حماة.", "جب رملة"),
    ("قصفت الطائرات الحربية بلدة الهبيط في مدينة خان شيخون.", "الهبيط"),
])
def test_events_settlement_introduced_after_other_words_is_a_scene(assemble, text: str, scene: str) -> None:
    cs = assemble(text)
    assert [c.place.name for c in cs if c.place is not None] == [norm(scene)]


@pytest.mark.parametrize("text, pair", [
    # whose base it is: the side hit; aircraft no side the report names could have flown: unidentified
    ("تعرض مطار كويرس العسكري التابع للقوات الروسية لقصف جوي بطائرات مسيرة مساء اليوم.", ("UNKNOWN", "RUSSIA")),
    ("تعرضت قاعدة عين الأسد الأمريكية في الأنبار لقصف بطائرات مسيرة مساء اليوم.", ("UNKNOWN", "COALITION")),
    # a target word between the aircraft and the side: the side is hit, it did not fly them
    ("استهدفت طائرات مسيرة مقرا لقوات سوريا الديمقراطية في بلدة الشدادي.", ("UNKNOWN", "SDF")),
])
def test_events_site_holder_is_hit_by_unnamed_aircraft(assemble, text: str, pair: tuple[str, str]) -> None:
    cs = [c for c in assemble(text) if c.sub_event_type == "Air/drone strike"]
    assert cs and (_key(cs[0].actor1), _key(cs[0].actor2)) == pair


@pytest.mark.parametrize("text, sides", [
    ("قتل ثلاثة أشخاص في اشتباكات عنيفة اندلعت اليوم في مدينة جرابلس. "
     "ودارت الاشتباكات بين فصائل الجيش الوطني وقوات سوريا الديمقراطية.", {"SNA", "SDF"}),
    ("قتل أربعة أشخاص خلال معارك في بلدة تادف. واندلعت المعارك بين قوات النظام وتنظيم داعش فجر اليوم.",
     {"SYR_REGIME", "ISIS"}),
    ("سقط قتيلان في اشتباك مسلح وقع صباح اليوم في بلدة الصنمين. ووقع الاشتباك بين قوات النظام وفصائل المعارضة.",
     {"SYR_REGIME", "OPPOSITION"}),
], ids=["clashes-between", "battles-broke-out", "a-clash-occurred"])
def test_events_a_clash_told_by_its_toll_then_its_sides_is_one_clash(pipeline: Pipeline, text: str,
                                                                    sides: set) -> None:
    from ahdath.evaluate.rules import Rules

    key = Rules.packaged().actors.key
    events = pipeline.extract_text(text, article_id="t")
    assert [e.sub_event_type for e in events] == ["Armed clash"]
    (e,) = events
    # the dead of a clash are its toll, never a side of it
    assert {key(e.actor1), key(e.actor2)} == sides and e.fatalities >= 2


@pytest.mark.parametrize("text, toll", [
    ("قتلت امرأة وطفل اليوم في قصف مدفعي لقوات النظام على مدينة معرة النعمان. "
     "وبحسب ناشطين فإن القصف طال منزلا في المدينة وأدى لمقتل امرأة.", 2),
    ("قتل خمسة مدنيين في غارات روسية على مدينة أريحا صباح اليوم. "
     "وطالت إحدى الغارات منزلا في المدينة ما أدى لمقتل طفلين.", 5),
], ids=["woman-and-child", "five-then-two"])
def test_events_the_leads_toll_is_the_incidents_when_the_body_tells_a_part(pipeline: Pipeline, text: str,
                                                                           toll: int) -> None:
    (e,) = pipeline.extract_text(text, article_id="t")
    assert e.fatalities == toll


@pytest.mark.parametrize("text, places", [
    ("ونشر الفيلق الذي يخوض معارك عنيفة ضد قوات النظام في حي جوبر، بيانا قال فيه إن جيش الإسلام هاجم "
     "مقراته في مدينة عربين وبلدة حزة.", ["عربين", "حزه"]),
    ("وأصدرت الفصائل التي شنت هجوما على مواقع النظام في ريف حماة بيانا أكدت فيه أن تنظيم داعش هاجم "
     "مقراتها في قرية الشعثة.", ["الشعثه"]),
], ids=["statement-after-a-battle", "statement-after-an-attack"])
def test_events_what_a_statement_says_is_its_own_clause(pipeline: Pipeline, text: str, places: list[str]) -> None:
    """A clause that told an act before its speech verb ("الفيلق الذي يخوض معارك ... قال فيه إن"): the
    act the statement reports has its own places, not the speaker's."""
    from ahdath.text.normalize import norm

    events = pipeline.extract_text(text, article_id="t")
    got = {norm(e.location_ar or "") for e in events}
    assert got >= {norm(p) for p in places}, [(e.sub_event_type, e.actor1, e.location_ar) for e in events]


def test_events_frames_around_a_speech_verb_still_govern_what_it_says(pipeline: Pipeline) -> None:
    # no act before the speech verb: the clause stays whole and its fear frame governs the content
    events = pipeline.extract_text("وأضاف أن الأجهزة الأمنية تخشى أن تؤدي عملية عسكرية واسعة إلى قتل الأسرى.",
                                   article_id="t")
    assert events == []


@pytest.mark.parametrize("text, told, new", [
    ("قصفت قوات النظام بلدة كفرنبل بالمدفعية الثقيلة صباح اليوم. كما طال قصف قوات النظام بلدتي كفرنبل وحاس في "
     "ريف إدلب الجنوبي.", "كفرنبل", ["حاس"]),
    ("سيطرت قوات الاحتلال صباح اليوم على مفرزة الأمن الداخلي في بلدة جباتا الخشب بريف القنيطرة. وتوغلت قوات "
     "الاحتلال في بلدتي جباتا الخشب وطرنجة.", "جباتا الخشب", ["طرنجة"]),
    # every place of the generic sentence told already: it is the incident told again
    ("قصفت قوات النظام بلدة كفرنبل بالمدفعية الثقيلة صباح اليوم. كما طال قصف قوات النظام بلدة كفرنبل في ريف "
     "إدلب الجنوبي.", "كفرنبل", []),
])
def test_events_a_generic_word_over_places_told_and_new(assemble, text: str, told: str, new: list[str]) -> None:
    # a generic word over a list of places: the one told before is that incident again, the others new scenes
    cs = assemble(text)
    places = [c.place.name for c in cs if c.place is not None]
    assert places.count(norm(told)) == 1 and sorted(places) == sorted([norm(told)] + [norm(n) for n in new]), places


@pytest.mark.parametrize("text, force", [
    ("اندلعت اشتباكات بين المتظاهرين وقوات الأمن أمام مبنى المحافظة في مدينة البصرة.", "IRAQ_GOV"),
    ("ودارت مواجهات عنيفة بين المحتجين والشرطة في ساحة التحرير ببغداد.", "IRAQ_GOV"),
    ("اشتبك محتجون مع قوات الأمن أمام مبنى المحافظة في مدينة السويداء.", "SYR_REGIME"),
])
def test_events_a_crowd_fighting_a_force_is_a_violent_demonstration(assemble, text: str, force: str) -> None:
    # ACLED: protesters in a fight with the police are rioters, not a side of an armed clash
    cs = assemble(text)
    assert [(c.sub_event_type, _key(c.actor1), _key(c.actor2)) for c in cs] == [
        ("Violent demonstration", "RIOTERS", force)]



@pytest.mark.parametrize("text", [
    "أحرق المتظاهرون سيارة مصفحة لقوات الأمن أمام مبنى السرايا في مدينة السويداء.",
    "وأضرم المحتجون النار في مقر الحزب الحاكم بمدينة الناصرية.",
    "رشق المتظاهرون قوات الأمن بالحجارة أمام مبنى المحافظة في مدينة البصرة.",
    "أحرق محتجون غاضبون إطارات مطاطية وقطعوا الطريق الرئيسي في مدينة الناصرية.",
])
def test_events_demonstrators_who_turn_violent_are_rioters(assemble, text: str) -> None:
    # ACLED names the side of a violent demonstration "Rioters", whatever word named the crowd
    cs = [c for c in assemble(text) if c.sub_event_type == "Violent demonstration"]
    assert [_key(c.actor1) for c in cs] == ["RIOTERS"]
