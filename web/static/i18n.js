// Interface text of the portal pages in Spanish (default) and English, and the language choice.
// The language comes from ?lang=es|en, else localStorage "vitarec.lang", else Spanish. Elements
// carry data-i18n (textContent), data-i18n-placeholder, data-i18n-aria-label or data-i18n-title;
// Translate() fills them. All text goes through textContent/attributes, never HTML.

const kStorageKey = 'vitarec.lang';
export const kLanguages = ['es', 'en'];

const kText = {
  es: {
    'skip': 'Saltar al contenido',
    'brand.tagline': 'Recomendaciones de suplementos basadas en la evidencia',
    'lang.label': 'Idioma',
    'portal.title': 'Vitarec — encuentra el suplemento adecuado',
    'portal.heading': '¿Qué te gustaría mejorar?',
    'portal.intro': 'Busca un suplemento o un objetivo ("magnesio", "dormir mejor", "vitamina D"). Responde el cuestionario para adaptar la dosis y revisar interacciones con tus medicamentos.',
    'search.label': 'Busca un suplemento u objetivo',
    'search.placeholder': 'p. ej. magnesio, dormir mejor…',
    'search.submit': 'Recomendar',
    'search.submitting': 'Enviando…',
    'quiz.summary': 'Personaliza con un cuestionario breve (opcional)',
    'quiz.about': 'Sobre ti',
    'quiz.age': 'Edad',
    'quiz.sex': 'Sexo',
    'quiz.sex.none': 'Prefiero no decirlo',
    'quiz.sex.female': 'Mujer',
    'quiz.sex.male': 'Hombre',
    'quiz.sex.other': 'Otro',
    'quiz.pregnant': 'Estoy embarazada',
    'quiz.lactating': 'Estoy dando el pecho',
    'quiz.diet': 'Dieta',
    'quiz.diet.none': 'Sin dieta especial',
    'quiz.diet.omnivore': 'Omnívora',
    'quiz.diet.vegetarian': 'Vegetariana',
    'quiz.diet.vegan': 'Vegana',
    'quiz.diet.keto': 'Cetogénica',
    'quiz.goals': 'Objetivos',
    'quiz.conditions': 'Condiciones de salud',
    'quiz.conditions.other': 'Otras condiciones',
    'quiz.conditions.other.hint': 'Separadas por comas',
    'quiz.medications': 'Medicamentos que tomas',
    'quiz.medications.hint': 'Separados por comas, p. ej. levotiroxina, warfarina',
    'goal.sleep': 'Dormir mejor',
    'goal.stress_anxiety': 'Estrés y ansiedad',
    'goal.energy': 'Energía y cansancio',
    'goal.bone_health': 'Huesos fuertes',
    'goal.immune': 'Defensas',
    'goal.heart_health': 'Salud del corazón',
    'goal.cognition': 'Memoria y concentración',
    'goal.mood': 'Estado de ánimo',
    'goal.muscle_performance': 'Rendimiento deportivo',
    'goal.joint_health': 'Articulaciones',
    'goal.digestion': 'Digestión',
    'goal.skin_hair_nails': 'Piel, cabello y uñas',
    'cond.kidney_disease': 'Enfermedad renal',
    'cond.liver_disease': 'Enfermedad hepática',
    'cond.bleeding_disorder': 'Trastorno de la coagulación',
    'cond.thyroid_disease': 'Enfermedad de tiroides',
    'cond.diabetes': 'Diabetes',
    'cond.high_blood_pressure': 'Hipertensión',
    'cond.surgery': 'Cirugía programada',
    'cond.epilepsy': 'Epilepsia',
    'form.needInput': 'Escribe qué buscas o responde al menos una pregunta del cuestionario.',
    'form.invalid': 'Revisa este dato: {message}',
    'form.busy': 'El servicio está muy ocupado. Inténtalo de nuevo en unos segundos.',
    'form.network': 'No pudimos conectar con el servicio. Comprueba tu conexión e inténtalo de nuevo.',
    'form.unexpected': 'Algo salió mal ({status}). Inténtalo de nuevo.',
    'footer.note': 'Vitarec ofrece información general y no sustituye el consejo de un profesional sanitario.',
    'results.title': 'Vitarec — tu recomendación',
    'progress.heading': 'Preparando tu recomendación',
    'progress.label': 'Progreso de la recomendación',
    'progress.starting': 'Empezando…',
    'progress.queued': 'En cola, empezará enseguida…',
    'progress.attempt': 'Intento {attempt}',
    'progress.polling': 'Consultando el estado cada {seconds} s.',
    'timeout.heading': 'Sigue trabajando',
    'timeout.body': 'Está tardando más de lo normal. ¿Quieres seguir esperando?',
    'timeout.keepWaiting': 'Seguir esperando',
    'failed.heading': 'No pudimos completar la recomendación',
    'failed.cancelled': 'La recomendación se canceló.',
    'failed.retry': 'Reintentar',
    'failed.retrying': 'Reintentando…',
    'failed.retryConflict': 'Ya se está procesando de nuevo.',
    'failed.retryError': 'No se pudo reintentar ({status}). Inténtalo más tarde.',
    'notfound.heading': 'No hemos encontrado esta recomendación',
    'notfound.body': 'El enlace no es válido o la recomendación no existe.',
    'expired.heading': 'Esta recomendación ha caducado',
    'expired.body': 'Las recomendaciones se guardan durante un tiempo limitado. Puedes pedir una nueva.',
    'missing.body': 'Falta el identificador de la recomendación en el enlace.',
    'newSearch': 'Nueva búsqueda',
    'result.heading': 'Tu recomendación',
    'result.for': 'Para tu búsqueda:',
    'result.forQuiz': 'Según tus respuestas al cuestionario',
    'result.dose': 'Dosis',
    'result.form': 'Forma',
    'result.timing': 'Cuándo tomarlo',
    'result.evidence': 'Evidencia',
    'result.grade': 'Evidencia {grade}',
    'result.grade.A': 'Evidencia sólida',
    'result.grade.B': 'Evidencia moderada',
    'result.grade.C': 'Evidencia limitada',
    'result.grade.D': 'Evidencia escasa o contradictoria',
    'result.reasons': 'Por qué',
    'result.warnings': 'Precauciones',
    'result.interactions': 'Interacciones',
    'result.sources': 'Fuentes',
    'result.generalWarnings': 'Avisos generales',
    'result.excluded': 'Descartados para ti',
    'result.noItems': 'No hemos encontrado suplementos para esta búsqueda.',
    'result.suggestions': 'Prueba con:',
    'result.disclaimer': 'Aviso',
    'result.upperLimit': 'Límite superior',
    'result.perDay': '{amount} al día',
    'result.evidenceFor': 'Para {goal}:',
    'result.correctedTo': 'Mostramos resultados de',
    'result.correctedFrom': 'escribiste',
    'interaction.separate': 'Separar las tomas',
    'interaction.separate.hours': 'Separar {hours} h',
    'interaction.ask_doctor': 'Consulta a tu médico',
    'interaction.monitor': 'Vigilar',
    'interaction.avoid': 'Evitar',
  },
  en: {
    'skip': 'Skip to content',
    'brand.tagline': 'Evidence-based supplement recommendations',
    'lang.label': 'Language',
    'portal.title': 'Vitarec — find the right supplement',
    'portal.heading': 'What would you like to improve?',
    'portal.intro': 'Search for a supplement or a goal ("magnesium", "better sleep", "vitamin D"). Answer the quiz to tailor the dose and check interactions with your medicines.',
    'search.label': 'Search for a supplement or goal',
    'search.placeholder': 'e.g. magnesium, better sleep…',
    'search.submit': 'Recommend',
    'search.submitting': 'Sending…',
    'quiz.summary': 'Personalise with a short quiz (optional)',
    'quiz.about': 'About you',
    'quiz.age': 'Age',
    'quiz.sex': 'Sex',
    'quiz.sex.none': 'Prefer not to say',
    'quiz.sex.female': 'Female',
    'quiz.sex.male': 'Male',
    'quiz.sex.other': 'Other',
    'quiz.pregnant': 'I am pregnant',
    'quiz.lactating': 'I am breastfeeding',
    'quiz.diet': 'Diet',
    'quiz.diet.none': 'No special diet',
    'quiz.diet.omnivore': 'Omnivore',
    'quiz.diet.vegetarian': 'Vegetarian',
    'quiz.diet.vegan': 'Vegan',
    'quiz.diet.keto': 'Ketogenic',
    'quiz.goals': 'Goals',
    'quiz.conditions': 'Health conditions',
    'quiz.conditions.other': 'Other conditions',
    'quiz.conditions.other.hint': 'Comma separated',
    'quiz.medications': 'Medicines you take',
    'quiz.medications.hint': 'Comma separated, e.g. levothyroxine, warfarin',
    'goal.sleep': 'Better sleep',
    'goal.stress_anxiety': 'Stress and anxiety',
    'goal.energy': 'Energy and tiredness',
    'goal.bone_health': 'Strong bones',
    'goal.immune': 'Immune support',
    'goal.heart_health': 'Heart health',
    'goal.cognition': 'Memory and focus',
    'goal.mood': 'Mood',
    'goal.muscle_performance': 'Exercise performance',
    'goal.joint_health': 'Joint health',
    'goal.digestion': 'Digestion',
    'goal.skin_hair_nails': 'Skin, hair and nails',
    'cond.kidney_disease': 'Kidney disease',
    'cond.liver_disease': 'Liver disease',
    'cond.bleeding_disorder': 'Bleeding disorder',
    'cond.thyroid_disease': 'Thyroid disease',
    'cond.diabetes': 'Diabetes',
    'cond.high_blood_pressure': 'High blood pressure',
    'cond.surgery': 'Planned surgery',
    'cond.epilepsy': 'Epilepsy',
    'form.needInput': 'Type what you are looking for or answer at least one quiz question.',
    'form.invalid': 'Please check this: {message}',
    'form.busy': 'The service is very busy. Please try again in a few seconds.',
    'form.network': 'We could not reach the service. Check your connection and try again.',
    'form.unexpected': 'Something went wrong ({status}). Please try again.',
    'footer.note': 'Vitarec gives general information and is not a substitute for advice from a health professional.',
    'results.title': 'Vitarec — your recommendation',
    'progress.heading': 'Preparing your recommendation',
    'progress.label': 'Recommendation progress',
    'progress.starting': 'Starting…',
    'progress.queued': 'Queued, starting shortly…',
    'progress.attempt': 'Attempt {attempt}',
    'progress.polling': 'Checking the status every {seconds} s.',
    'timeout.heading': 'Still working',
    'timeout.body': 'This is taking longer than usual. Do you want to keep waiting?',
    'timeout.keepWaiting': 'Keep waiting',
    'failed.heading': 'We could not complete the recommendation',
    'failed.cancelled': 'The recommendation was cancelled.',
    'failed.retry': 'Try again',
    'failed.retrying': 'Retrying…',
    'failed.retryConflict': 'It is already being processed again.',
    'failed.retryError': 'Could not retry ({status}). Please try later.',
    'notfound.heading': 'We could not find this recommendation',
    'notfound.body': 'The link is not valid or the recommendation does not exist.',
    'expired.heading': 'This recommendation has expired',
    'expired.body': 'Recommendations are kept for a limited time. You can ask for a new one.',
    'missing.body': 'The link is missing the recommendation id.',
    'newSearch': 'New search',
    'result.heading': 'Your recommendation',
    'result.for': 'For your search:',
    'result.forQuiz': 'Based on your quiz answers',
    'result.dose': 'Dose',
    'result.form': 'Form',
    'result.timing': 'When to take it',
    'result.evidence': 'Evidence',
    'result.grade': 'Evidence {grade}',
    'result.grade.A': 'Strong evidence',
    'result.grade.B': 'Moderate evidence',
    'result.grade.C': 'Limited evidence',
    'result.grade.D': 'Weak or conflicting evidence',
    'result.reasons': 'Why',
    'result.warnings': 'Cautions',
    'result.interactions': 'Interactions',
    'result.sources': 'Sources',
    'result.generalWarnings': 'General warnings',
    'result.excluded': 'Ruled out for you',
    'result.noItems': 'We found no supplements for this search.',
    'result.suggestions': 'Try:',
    'result.disclaimer': 'Disclaimer',
    'result.upperLimit': 'Upper limit',
    'result.perDay': '{amount} a day',
    'result.evidenceFor': 'For {goal}:',
    'result.correctedTo': 'Showing results for',
    'result.correctedFrom': 'you typed',
    'interaction.separate': 'Take apart',
    'interaction.separate.hours': 'Take {hours} h apart',
    'interaction.ask_doctor': 'Ask your doctor',
    'interaction.monitor': 'Monitor',
    'interaction.avoid': 'Avoid',
  },
};

let current = null;
const listeners = [];

function Stored() {
  try {
    return localStorage.getItem(kStorageKey);
  } catch {
    return null;  // storage disabled (privacy mode): fall back to the default
  }
}

// The language in force: ?lang=, then the remembered choice, then Spanish.
export function Lang() {
  if (current) return current;
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (kLanguages.includes(fromUrl)) {
    current = fromUrl;
    Remember(fromUrl);
  } else {
    const stored = Stored();
    current = kLanguages.includes(stored) ? stored : 'es';
  }
  return current;
}

function Remember(lang) {
  try {
    localStorage.setItem(kStorageKey, lang);
  } catch {
    // not remembered; the page still switches
  }
}

// The text for `key` in the current language with {name} placeholders filled from `vars`.
export function T(key, vars = {}) {
  const table = kText[Lang()];
  const text = table[key] ?? kText.es[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

// Fills every data-i18n* element under `root` and the document's lang and title.
export function Translate(root = document) {
  document.documentElement.lang = Lang();
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = T(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]'))
    el.setAttribute('placeholder', T(el.dataset.i18nPlaceholder));
  for (const el of root.querySelectorAll('[data-i18n-aria-label]'))
    el.setAttribute('aria-label', T(el.dataset.i18nAriaLabel));
  for (const el of root.querySelectorAll('[data-i18n-title]'))
    el.setAttribute('title', T(el.dataset.i18nTitle));
  const title = document.querySelector('title[data-i18n-doc]');
  if (title) document.title = T(title.dataset.i18nDoc);
}

// Switches the language, remembers it, re-translates and tells the listeners.
export function SetLang(lang) {
  if (!kLanguages.includes(lang) || lang === current) return;
  current = lang;
  Remember(lang);
  Translate();
  for (const fn of listeners) fn(lang);
}

export function OnLangChange(fn) {
  listeners.push(fn);
}

// Wires the ES/EN buttons in the header (buttons with data-lang) and marks the active one.
export function SetUpLanguageSwitch() {
  const buttons = document.querySelectorAll('button[data-lang]');
  const mark = () => {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.lang === Lang()));
  };
  for (const b of buttons) b.addEventListener('click', () => SetLang(b.dataset.lang));
  OnLangChange(mark);
  mark();
  Translate();
}
