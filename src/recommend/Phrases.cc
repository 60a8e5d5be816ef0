#include "recommend/Phrases.h"

namespace vitarec::recommend::phrases {
namespace {

bool En(std::string_view locale) { return locale == "en"; }

std::string S(std::string_view v) { return std::string(v); }

// "de" before a phrase with its article, contracted as Spanish requires ("del hierro").
std::string Of(const std::string& with_article) {
  if (with_article.starts_with("el ")) return "del " + with_article.substr(3);
  return "de " + with_article;
}

// "note" ends a sentence; make sure it has its full stop.
std::string Sentence(std::string_view note) {
  std::string out(note);
  if (!out.empty() && out.back() != '.' && out.back() != '!' && out.back() != '?') out += '.';
  return out;
}

}  // namespace

std::string Capitalized(std::string text) {
  if (text.empty()) return text;
  const auto c = static_cast<unsigned char>(text[0]);
  if (c >= 'a' && c <= 'z') {
    text[0] = static_cast<char>(c - 'a' + 'A');
  } else if (c == 0xC3 && text.size() > 1) {
    // Latin-1 lower-case letters U+00E0..U+00FE (except U+00F7) are 0xC3 0xA0..0xBE in UTF-8.
    const auto d = static_cast<unsigned char>(text[1]);
    if (d >= 0xA0 && d <= 0xBE && d != 0xB7) text[1] = static_cast<char>(d - 0x20);
  }
  return text;
}

std::string Lowered(std::string text) {
  if (text.size() < 2) return text;
  const auto c = static_cast<unsigned char>(text[0]);
  if (c >= 'A' && c <= 'Z') {
    const auto next = static_cast<unsigned char>(text[1]);
    // "Vitamina" -> "vitamina"; "CoQ10" and "L-teanina" keep theirs (codes, acronyms).
    const bool word = (next >= 'a' && next <= 'z') || next == 0xC3;
    if (word && !(text.size() > 2 && next >= 'a' && text[2] >= 'A' && text[2] <= 'Z'))
      text[0] = static_cast<char>(c - 'A' + 'a');
  } else if (c == 0xC3 && text.size() > 2) {
    // Latin-1 upper-case letters U+00C0..U+00DE are 0xC3 0x80..0x9E in UTF-8.
    const auto d = static_cast<unsigned char>(text[1]);
    if (d >= 0x80 && d <= 0x9E && d != 0x97) text[1] = static_cast<char>(d + 0x20);
  }
  return text;
}

std::string WithArticle(std::string_view name) {
  const std::string lowered = Lowered(std::string(name));
  std::string first = lowered.substr(0, lowered.find_first_of(" ("));
  const auto ends = [&](std::string_view tail) { return first.ends_with(tail); };
  // A code or an acronym ("5-HTP", "ISRS") takes "el", or "los" for a plural acronym.
  const auto upper_or_digit = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  const bool code = !first.empty() &&
                    ((first[0] >= '0' && first[0] <= '9') ||
                     (first.size() > 1 && upper_or_digit(first[0]) && upper_or_digit(first[1])));
  std::string article = "el";
  if (code) {
    article = ends("S") ? "los" : "el";
  } else if (ends("as")) {
    article = "las";
  } else if (ends("os") || ends("es")) {
    article = "los";
  } else if (ends("a") || ends("ión") || ends("dad") || ends("tud")) {
    article = "la";
  }
  return article + " " + lowered;
}

std::string Decimal(double value, std::string_view locale) {
  // One decimal at most ("2.4", Spanish "2,4"); whole numbers without one.
  const long long tenths = static_cast<long long>(value * 10 + 0.5);
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10 != 0) {
    // Appended piecewise: g++ 12 -O3 reports a false -Wrestrict for "const char*" + std::string.
    out += En(locale) ? '.' : ',';
    out += std::to_string(tenths % 10);
  }
  return out;
}

std::string FrequencyText(Frequency frequency, std::string_view locale) {
  const bool en = En(locale);
  switch (frequency) {
    case Frequency::kOnceDaily:
      return en ? "once a day" : "una vez al día";
    case Frequency::kTwiceDaily:
      return en ? "twice a day" : "dos veces al día";
    case Frequency::kThreeTimesDaily:
      return en ? "three times a day" : "tres veces al día";
    case Frequency::kWeekly:
      return en ? "once a week" : "una vez por semana";
    case Frequency::kAsNeeded:
      return en ? "when needed, at most once a day"
                : "cuando lo necesites, como máximo una vez al día";
  }
  return "";
}

std::string UnitText(std::string_view unit, std::string_view locale) {
  if (unit == "billion_cfu") return En(locale) ? "billion CFU" : "mil millones de UFC";
  if (unit == "tablet") return En(locale) ? "tablet" : "comprimido";
  return S(unit);
}

std::string Disclaimer(std::string_view locale) {
  if (En(locale))
    return "General information drawn from public sources; it is not medical advice and does not "
           "replace a health professional. Talk to your doctor or pharmacist before starting a "
           "supplement, especially if you are pregnant or breastfeeding, take medicines or have a "
           "chronic condition.";
  return "Información general basada en fuentes públicas; no es un consejo médico ni sustituye a "
         "un profesional sanitario. Consulta a tu médico o farmacéutico antes de empezar un "
         "suplemento, sobre todo si estás embarazada o das el pecho, tomas medicamentos o tienes "
         "una enfermedad crónica.";
}

std::string YouAskedForIt(std::string_view locale) {
  return En(locale) ? "You asked about it." : "Es lo que has buscado.";
}

std::string HelpsWith(std::string_view goal, char grade, std::string_view locale) {
  if (En(locale)) return "For " + S(goal) + " (evidence grade " + std::string(1, grade) + ").";
  return "Para " + S(goal) + " (evidencia de grado " + std::string(1, grade) + ").";
}

std::string ReferenceIntake(double low, double high, std::string_view unit,
                            std::string_view locale) {
  std::string figure = Decimal(low, locale);
  if (Decimal(high, locale) != figure) figure += "–" + Decimal(high, locale);
  figure += " " + UnitText(unit, locale);
  if (En(locale))
    return "Your reference intake from food and supplements together: " + figure + " a day.";
  return "Tu ingesta de referencia, sumando alimentos y suplementos: " + figure + " al día.";
}

std::string FormNote(std::string_view form, std::string_view note, std::string_view locale) {
  (void)locale;
  return S(form) + ": " + Sentence(note);
}

std::string DoseCapped(int upper_limit, std::string_view unit, std::string_view locale) {
  const std::string figure = std::to_string(upper_limit) + " " + UnitText(unit, locale);
  if (En(locale))
    return "Dose lowered so as not to exceed your upper limit of " + figure + " a day.";
  return "Dosis reducida para no superar tu límite superior de " + figure + " al día.";
}

std::string MinorAskPaediatrician(std::string_view locale) {
  if (En(locale)) return "Under 18: check it with a paediatrician first.";
  return "Menor de 18 años: consúltalo antes con tu pediatra.";
}

LocalizedText BelowMinAge(int min_age) {
  const std::string n = std::to_string(min_age);
  return LocalizedText{
      "no se aconseja por debajo de " + n + (min_age == 1 ? " año" : " años") +
          " sin indicación de tu pediatra",
      "not advised under the age of " + n + " unless a paediatrician prescribes it"};
}

std::string LeftOutAsAsked(std::string_view locale) {
  return En(locale) ? "you asked to leave it out" : "has pedido dejarlo fuera";
}

std::string ChooseOneWithout(std::string_view nutrient, std::string_view locale) {
  if (En(locale)) return "You asked for no " + S(nutrient) + ": choose a product without it.";
  return "Has pedido sin " + Lowered(S(nutrient)) + ": elige un producto que no lo lleve.";
}

std::string AlsoIn(std::string_view nutrient, std::string_view product, int amount, int total,
                   std::optional<int> upper_limit, std::string_view unit, std::string_view locale) {
  const std::string u = " " + UnitText(unit, locale);
  if (En(locale)) {
    std::string out = S(product) + " already provides " + std::to_string(amount) + u + " of " +
                      S(nutrient) + ": together " + std::to_string(total) + u + " a day";
    if (upper_limit) out += ", within your upper limit of " + std::to_string(*upper_limit) + u;
    return out + ". Do not add other products with it.";
  }
  std::string out = Capitalized(WithArticle(product)) + " ya aporta " + std::to_string(amount) + u +
                    " de " + Lowered(S(nutrient)) + ": en total " + std::to_string(total) + u +
                    " al día";
  if (upper_limit) out += ", dentro de tu límite superior de " + std::to_string(*upper_limit) + u;
  return out + ". No añadas otros productos que lo lleven.";
}

std::string Carries(std::string_view product, std::string_view contents, std::string_view locale) {
  if (En(locale)) return S(product) + " also provides " + S(contents) + "; it is counted below.";
  return Capitalized(WithArticle(product)) + " aporta también " + S(contents) +
         "; lo contamos en el total.";
}

std::string WhichContains(std::string_view product, std::string_view nutrient,
                          std::string_view locale) {
  if (En(locale)) return S(product) + ", which contains " + S(nutrient);
  return Lowered(S(product)) + ", que lleva " + Lowered(S(nutrient));
}

std::string AlreadyCovered(std::string_view product, std::string_view locale) {
  if (En(locale)) return "what you need of it already comes with " + S(product);
  return "ya lo aporta " + WithArticle(product) + " hasta tu límite superior";
}

std::string SumAboveLimit(std::string_view nutrient, std::string_view items, int total,
                          int upper_limit, std::string_view unit, std::string_view locale) {
  const std::string u = " " + UnitText(unit, locale);
  if (En(locale))
    return S(items) + " together provide " + std::to_string(total) + u + " of " + S(nutrient) +
           " a day, above your upper limit of " + std::to_string(upper_limit) + u +
           ": take only one of them.";
  return "Juntos, " + S(items) + " suman " + std::to_string(total) + u + " de " +
         Lowered(S(nutrient)) + " al día, por encima de tu límite superior de " +
         std::to_string(upper_limit) + u + ": toma solo uno de ellos.";
}

std::string DrugRule(SafetyAction action, std::string_view supplement, std::string_view drug,
                     int hours, std::string_view note, std::string_view locale) {
  const bool en = En(locale);
  const std::string sup = en ? S(supplement) : Lowered(S(supplement));
  const std::string med = en ? S(drug) : Lowered(S(drug));
  std::string head;
  switch (action) {
    case SafetyAction::kAvoid:
      head = en ? "Do not take " + sup + " with " + med : "No tomes " + sup + " si tomas " + med;
      break;
    case SafetyAction::kSeparate:
      head = en ? "Take " + sup + " at least " + std::to_string(hours) + " hours apart from " + med
                : "Separa " + WithArticle(supplement) + " " + Of(WithArticle(drug)) + " al menos " +
                      std::to_string(hours) + " horas";
      break;
    case SafetyAction::kAskDoctor:
      head = en ? "Ask your doctor before combining " + sup + " with " + med
                : "Consulta a tu médico antes de combinar " + sup + " con " + med;
      break;
    case SafetyAction::kMonitor:
      head = en ? "With " + med + ", keep an eye on the effect of " + sup
                : "Con " + med + ", vigila el efecto " + Of(WithArticle(supplement));
      break;
  }
  return head + ": " + Sentence(note);
}

std::string ConditionRule(SafetyAction action, std::string_view supplement,
                          std::string_view condition, std::string_view note,
                          std::string_view locale) {
  const bool en = En(locale);
  std::string head;
  switch (action) {
    case SafetyAction::kAvoid:
      head = en ? "Avoid " + S(supplement) + " (" + S(condition) + ")"
                : "Evita " + Lowered(S(supplement)) + " (" + Lowered(S(condition)) + ")";
      break;
    case SafetyAction::kMonitor:
      head = en ? S(condition) + ": keep an eye on the effect of " + S(supplement)
                : S(condition) + ": vigila el efecto " + Of(WithArticle(supplement));
      break;
    default:
      head = en ? S(condition) + ": ask your doctor before taking " + S(supplement)
                : S(condition) + ": consulta a tu médico antes de tomar " + Lowered(S(supplement));
      break;
  }
  return head + ": " + Sentence(note);
}

std::string NoSafetyData(std::string_view supplement, std::string_view condition,
                         std::string_view locale) {
  if (En(locale))
    return S(condition) + ": ask your doctor before taking " + S(supplement) +
           ": its safety in this situation has not been established.";
  return S(condition) + ": consulta a tu médico antes de tomar " + Lowered(S(supplement)) +
         ": no se ha establecido su seguridad en esta situación.";
}

std::string Excluded(std::string_view supplement, std::string_view reason,
                     std::string_view locale) {
  if (En(locale)) return S(supplement) + " is not included. " + Capitalized(Sentence(reason));
  return S(supplement) + " no se incluye. " + Capitalized(Sentence(reason));
}

std::string UnknownMedication(std::string_view entry, std::string_view locale) {
  if (En(locale))
    return "We did not recognise the medicine \"" + S(entry) +
           "\", so its interactions were not checked: ask your pharmacist before adding any "
           "supplement.";
  return "No reconocimos el medicamento «" + S(entry) +
         "», así que no comprobamos sus interacciones: pregunta a tu farmacéutico antes de añadir "
         "un suplemento.";
}

std::string UnknownCondition(std::string_view entry, std::string_view locale) {
  if (En(locale))
    return "We did not recognise the condition \"" + S(entry) +
           "\": ask your doctor whether these supplements suit you.";
  return "No hemos reconocido la condición «" + S(entry) +
         "»: pregunta a tu médico si estos suplementos te convienen.";
}

std::string PregnancyGeneral(std::string_view locale) {
  if (En(locale))
    return "During pregnancy and breastfeeding, agree every supplement with your midwife or "
           "doctor.";
  return "Durante el embarazo y la lactancia, acuerda cualquier suplemento con tu matrona o "
         "médico.";
}

std::string InteractsSummary(std::string_view drug, std::string_view avoid, std::string_view ask,
                             std::string_view locale) {
  const bool en = En(locale);
  std::string out = en ? "If you take " + S(drug) + ":" : "Si tomas " + Lowered(S(drug)) + ":";
  if (!avoid.empty()) out += en ? " avoid " + S(avoid) + "." : " evita " + S(avoid) + ".";
  if (!ask.empty())
    out += en ? " Ask your doctor or pharmacist before " + S(ask) + "."
              : " Consulta a tu médico o farmacéutico antes de tomar " + S(ask) + ".";
  return out;
}

std::string DidYouMean(std::string_view query, std::string_view locale) {
  if (En(locale)) return "We found nothing for \"" + S(query) + "\". Did you mean…?";
  return "No hemos encontrado nada para «" + S(query) + "». ¿Querías decir…?";
}

std::string TryThese(std::string_view locale) {
  return En(locale) ? "Try one of these searches:" : "Prueba con una de estas búsquedas:";
}

std::string OnlySafetyTerms(std::string_view locale) {
  if (En(locale))
    return "Your search names medicines or conditions, not supplements: see the warnings, or add "
           "what you want to improve (for example \"sleep\").";
  return "Tu búsqueda menciona medicamentos o condiciones, no suplementos: mira las advertencias o "
         "añade lo que quieres mejorar (por ejemplo «dormir mejor»).";
}

}  // namespace vitarec::recommend::phrases
