// The common medicines of Spain are known by their generic and brand names, and the rules the
// review asked for hold for them: potassium with calcineurin inhibitors, heparin, NSAIDs and
// trimethoprim; St John's wort with anticonvulsants, antidiabetics, calcium-channel blockers,
// PPIs and CYP3A4 substrates; NSAIDs with ginkgo, garlic, omega-3, turmeric and vitamin E; iodine
// with antithyroid drugs and amiodarone; vitamin D and calcium with high calcium, sarcoidosis and
// hyperparathyroidism.
#include <gtest/gtest.h>

#include <algorithm>

#include "RuleExpectations.h"
#include "TestSupport.h"

namespace vitarec::recommend {
namespace {

namespace json = boost::json;
using support::Kb;
using support::RunRequest;

struct NameCase {
  std::string typed;  // generic or brand, as people write it
  std::string drug;   // drug id
  std::string drug_class;
};
void PrintTo(const NameCase& c, std::ostream* os) { *os << c.typed << " -> " << c.drug_class; }

class MedicineNameTest : public ::testing::TestWithParam<NameCase> {};

TEST_P(MedicineNameTest, KnowsTheMedicineAndItsClass) {
  const KnowledgeBase& kb = *Kb();
  const MatchResult m = kb.matcher().Match(GetParam().typed, MaskOf(TermKind::kDrug));
  ASSERT_EQ(m.matches.size(), 1u) << GetParam().typed;
  const std::uint32_t drug = m.matches.front().ref.index;
  EXPECT_EQ(kb.drugs()[drug].id, GetParam().drug);
  const DrugClass* cls = kb.FindDrugClass(GetParam().drug_class);
  ASSERT_NE(cls, nullptr);
  const auto& classes = kb.ClassesOfDrug(drug);
  EXPECT_TRUE(std::binary_search(classes.begin(), classes.end(),
                                 static_cast<std::uint32_t>(cls - kb.drug_classes().data())));
}

INSTANTIATE_TEST_SUITE_P(
    Table, MedicineNameTest,
    ::testing::Values(NameCase{"Sintrom", "acenocoumarol", "vitamin_k_antagonists"},
                      // A drug reaches its classes' ancestors too.
                      NameCase{"sertralina", "sertraline", "serotonergic"},
                      NameCase{"Sintrom", "acenocoumarol", "anticoagulants"},
                      NameCase{"ciprofloxacin", "ciprofloxacin", "antibiotics"},
                      NameCase{"doxiciclina", "doxycycline", "antibiotics"},
                      NameCase{"eplerenona", "eplerenone", "diuretics"},
                      NameCase{"Emconcor", "bisoprolol", "antihypertensives"},
                      NameCase{"tacrolimus", "tacrolimus", "immunosuppressants"},
                      NameCase{"simvastatin", "simvastatin", "lipid_lowering"},
                      NameCase{"Aldocumar", "warfarin", "vitamin_k_antagonists"},
                      NameCase{"Adiro", "aspirin", "antiplatelets"},
                      NameCase{"Eutirox", "levothyroxine", "thyroid_hormone"},
                      NameCase{"Nolotil", "metamizole", "nsaids"},
                      NameCase{"Enantyum", "dexketoprofen", "nsaids"},
                      NameCase{"Espidifen", "ibuprofen", "nsaids"},
                      NameCase{"naproxeno", "naproxen", "nsaids"},
                      NameCase{"Voltaren", "diclofenac", "nsaids"},
                      NameCase{"Emconcor", "bisoprolol", "beta_blockers"},
                      NameCase{"atenolol", "atenolol", "antihypertensives"},
                      NameCase{"Olmetec", "olmesartan", "ace_inhibitors_arbs"},
                      NameCase{"Acovil", "ramipril", "ace_inhibitors_arbs"},
                      NameCase{"indapamida", "indapamide", "thiazide_diuretics"},
                      NameCase{"Higrotona", "chlorthalidone", "thiazide_diuretics"},
                      NameCase{"eplerenone", "eplerenone", "potassium_sparing_diuretics"},
                      NameCase{"amilorida", "amiloride", "potassium_sparing_diuretics"},
                      NameCase{"Dacortin", "prednisone", "corticosteroids"},
                      NameCase{"Urbason", "methylprednisolone", "corticosteroids"},
                      NameCase{"Sinemet", "levodopa", "antiparkinson"},
                      NameCase{"tiamazol", "methimazole", "antithyroid_drugs"},
                      NameCase{"Trangorex", "amiodarone", "antiarrhythmics"},
                      NameCase{"Dumirox", "fluvoxamine", "ssri"},
                      NameCase{"Cerazet", "desogestrel", "oral_contraceptives"},
                      NameCase{"NuvaRing", "vaginal_ring", "oral_contraceptives"},
                      NameCase{"Implanon", "etonogestrel_implant", "oral_contraceptives"},
                      NameCase{"Septrin", "trimethoprim", "antibiotics"},
                      NameCase{"Prograf", "tacrolimus", "calcineurin_inhibitors"}));

struct RuleCase {
  std::string name;
  std::string locale;
  std::string query;
  QuizAnswers answers;
  std::string supplement;
  std::string action;    // "avoid" = excluded; else the item's strictest flag
  std::string mentions;  // in the item warnings, or the general warnings when excluded
};
void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.name; }

QuizAnswers Taking(std::string medication) {
  QuizAnswers a;
  a.age = 50;
  a.sex = "male";
  a.medications = {std::move(medication)};
  return a;
}
QuizAnswers With(std::string condition) {
  QuizAnswers a;
  a.age = 50;
  a.sex = "female";
  a.conditions = {std::move(condition)};
  return a;
}

class MedicineRuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(MedicineRuleTest, AppliesTheRule) {
  const RuleCase& c = GetParam();
  RecommendRequest request;
  request.query = c.query;
  request.locale = c.locale;
  request.answers = c.answers;
  const json::object out = RunRequest(request);
  const json::object* item = support::ExpectRuleApplied(out, c.supplement, c.action, c.mentions);
  if (item == nullptr) return;
  bool found = false;
  for (const json::value& x : item->at("interactions").as_array())
    found = found || x.at("action").as_string() == c.action;
  // Condition rules have no interaction entry: their action shows in the warning's wording.
  EXPECT_TRUE(found || c.action == "condition") << "no " << c.action << " interaction";
}

INSTANTIATE_TEST_SUITE_P(
    Table, MedicineRuleTest,
    ::testing::Values(
        // Potassium.
        RuleCase{"PotassiumCiclosporinEs", "es", "potasio", Taking("ciclosporina"), "potassium",
                 "avoid", "ciclosporina"},
        RuleCase{"PotassiumTacrolimusEn", "en", "potassium", Taking("Prograf"), "potassium",
                 "avoid", "tacrolimus"},
        RuleCase{"PotassiumHeparinEs", "es", "potasio", Taking("Hibor"), "potassium", "ask_doctor",
                 "heparina"},
        RuleCase{"PotassiumIbuprofenEn", "en", "potassium", Taking("ibuprofen"), "potassium",
                 "ask_doctor", "ibuprofen"},
        RuleCase{"PotassiumTrimethoprimEs", "es", "potasio", Taking("Septrin"), "potassium",
                 "ask_doctor", "trimetoprim"},
        RuleCase{"PotassiumEplerenoneEn", "en", "potassium", Taking("eplerenone"), "potassium",
                 "avoid", "eplerenone"},
        // St John's wort.
        RuleCase{"StJohnsWortCarbamazepineEs", "es", "hipérico", Taking("Tegretol"),
                 "st_johns_wort", "avoid", "carbamazepina"},
        RuleCase{"StJohnsWortLamotrigineEn", "en", "st john's wort", Taking("lamotrigine"),
                 "st_johns_wort", "avoid", "lamotrigine"},
        RuleCase{"StJohnsWortMetforminEs", "es", "hipérico", Taking("metformina"), "st_johns_wort",
                 "ask_doctor", "metformina"},
        RuleCase{"StJohnsWortVerapamilEn", "en", "st john's wort", Taking("verapamil"),
                 "st_johns_wort", "avoid", "verapamil"},
        RuleCase{"StJohnsWortOmeprazoleEs", "es", "hipérico", Taking("omeprazol"), "st_johns_wort",
                 "ask_doctor", "omeprazol"},
        RuleCase{"StJohnsWortQuetiapineEs", "es", "hipérico", Taking("Seroquel"), "st_johns_wort",
                 "avoid", "quetiapina"},
        RuleCase{"StJohnsWortSildenafilEn", "en", "st john's wort", Taking("sildenafil"),
                 "st_johns_wort", "avoid", "sildenafil"},
        RuleCase{"StJohnsWortImplantEs", "es", "hipérico", Taking("Implanon"), "st_johns_wort",
                 "avoid", "implante"},
        // NSAIDs with bleeding-prone supplements.
        RuleCase{"GinkgoIbuprofenEs", "es", "ginkgo", Taking("ibuprofeno"), "ginkgo", "ask_doctor",
                 "ibuprofeno"},
        RuleCase{"GarlicNaproxenEn", "en", "garlic", Taking("naproxen"), "garlic", "monitor",
                 "naproxen"},
        RuleCase{"OmegaEnantyumEs", "es", "omega 3", Taking("Enantyum"), "omega_3", "monitor",
                 "dexketoprofeno"},
        RuleCase{"TurmericDiclofenacEn", "en", "turmeric", Taking("diclofenac"), "turmeric",
                 "monitor", "diclofenac"},
        RuleCase{"VitaminENolotilEs", "es", "vitamina e", Taking("Nolotil"), "vitamin_e", "monitor",
                 "metamizol"},
        // Iodine, levodopa, fluvoxamine.
        RuleCase{"IodineThiamazoleEs", "es", "yodo", Taking("tiamazol"), "iodine", "ask_doctor",
                 "tiamazol"},
        RuleCase{"IodineAmiodaroneEn", "en", "iodine", Taking("Trangorex"), "iodine", "ask_doctor",
                 "amiodarone"},
        RuleCase{"IronLevodopaEs", "es", "hierro", Taking("Sinemet"), "iron", "separate",
                 "levodopa"},
        RuleCase{"MelatoninFluvoxamineEn", "en", "melatonin", Taking("Dumirox"), "melatonin",
                 "avoid", "fluvoxamine"},
        RuleCase{"CalciumPrednisoneEs", "es", "calcio", Taking("Dacortin"), "calcium", "monitor",
                 "prednisona"},
        RuleCase{"VitaminDDexamethasoneEn", "en", "vitamin d", Taking("dexamethasone"), "vitamin_d",
                 "monitor", "dexamethasone"},
        // The quinolone separation agrees with its note.
        RuleCase{"CalciumCiprofloxacinEs", "es", "calcio", Taking("ciprofloxacino"), "calcium",
                 "separate", "al menos 6 horas"},
        RuleCase{"MagnesiumLevofloxacinEn", "en", "magnesium", Taking("levofloxacin"), "magnesium",
                 "separate", "at least 6 hours"},
        // Vitamin D and calcium cautions.
        RuleCase{"VitaminDHypercalcaemiaEs", "es", "vitamina d", With("hipercalcemia"), "vitamin_d",
                 "avoid", "calcio alto"},
        RuleCase{"VitaminDSarcoidosisEn", "en", "vitamin d", With("sarcoidosis"), "vitamin_d",
                 "condition", "sarcoidosis"},
        RuleCase{"VitaminDHyperparathyroidismEs", "es", "vitamina d", With("hiperparatiroidismo"),
                 "vitamin_d", "condition", "hiperparatiroidismo"},
        RuleCase{"CalciumHypercalcaemiaEn", "en", "calcium", With("hypercalcaemia"), "calcium",
                 "avoid", "high blood calcium"}));

}  // namespace
}  // namespace vitarec::recommend
