// The page texts, Spanish first and English, chosen by the `lang` URL parameter. Only our own
// words live here; whatever the service or the visitor wrote is rendered as text by React.
export type Lang = 'es' | 'en';

export function LangOf(value: string | string[] | null | undefined): Lang {
  return (Array.isArray(value) ? value[0] : value) === 'en' ? 'en' : 'es';
}

const kTexts = {
  es: {
    tagline: 'Recomendaciones de suplementos basadas en la evidencia',
    footer: 'Vitarec ofrece información general y no sustituye el consejo de un profesional sanitario.',
    otherLang: 'English',
    searchHeading: '¿Qué te gustaría mejorar?',
    searchLabel: 'Busca un suplemento o un objetivo',
    searchPlaceholder: 'magnesio, dormir mejor, vitamina D…',
    searchButton: 'Buscar',
    quizSummary: 'Personalizar con un breve cuestionario',
    age: 'Edad', sex: 'Sexo', sexUnset: 'Prefiero no decirlo', female: 'Mujer', male: 'Hombre', other: 'Otro',
    pregnant: 'Estoy embarazada', lactating: 'Estoy dando el pecho',
    goals: 'Objetivos', medications: 'Medicamentos que tomas (separados por comas)',
    quizButton: 'Obtener mi recomendación',
    sending: 'Enviando…',
    needQuery: 'Escribe qué buscas o marca al menos un objetivo.',
    backendDown: 'El servicio de recomendaciones no está disponible ahora mismo. Inténtalo de nuevo en unos minutos.',
    backendSlow: 'El servicio de recomendaciones tarda demasiado en responder. Inténtalo de nuevo en unos minutos.',
    busy: 'Hay muchas peticiones en este momento. Inténtalo de nuevo en unos segundos.',
    offline: 'No hay conexión con el portal. Comprueba tu conexión e inténtalo de nuevo.',
    invalid: 'Revisa el formulario:',
    progressHeading: 'Preparando tu recomendación',
    progressLabel: 'Progreso de la recomendación',
    starting: 'Empezando…',
    attempt: 'Intento {n}',
    connectionLost: 'Se ha perdido la conexión con el servicio; seguimos intentándolo…',
    timeoutHeading: 'Sigue trabajando',
    timeoutBody: 'Está tardando más de lo normal. ¿Quieres seguir esperando?',
    keepWaiting: 'Seguir esperando',
    failedHeading: 'No pudimos completar la recomendación',
    cancelled: 'La recomendación se canceló.',
    retry: 'Reintentar', retrying: 'Reintentando…', retryFailed: 'No se pudo reintentar ({code}).',
    notFoundHeading: 'No encontramos esta recomendación',
    notFoundBody: 'El enlace no es válido o la recomendación ya caducó.',
    errorHeading: 'No podemos seguir la recomendación',
    newSearch: 'Nueva búsqueda',
    resultHeading: 'Tu recomendación',
    resultFor: 'Resultados para', resultForQuiz: 'Según tu cuestionario',
    form: 'Forma', dose: 'Dosis', timing: 'Cuándo', evidence: 'Evidencia', evidenceGrade: 'Evidencia {grade}',
    reasons: 'Por qué', warnings: 'Precauciones', interactions: 'Interacciones', sources: 'Fuentes',
    generalWarnings: 'Avisos generales', suggestions: 'Quizá buscabas', noItems: 'No encontramos suplementos para esta búsqueda.',
    narrativeHeading: 'Explicación', narrativeWriting: 'Escribiendo…',
    narrativeUnavailable: 'La explicación no está disponible esta vez; la recomendación de arriba está completa.',
    disclaimer: 'Aviso',
  },
  en: {
    tagline: 'Evidence-based supplement recommendations',
    footer: 'Vitarec gives general information and does not replace advice from a health professional.',
    otherLang: 'Español',
    searchHeading: 'What would you like to improve?',
    searchLabel: 'Search a supplement or a goal',
    searchPlaceholder: 'magnesium, better sleep, vitamin D…',
    searchButton: 'Search',
    quizSummary: 'Personalise with a short quiz',
    age: 'Age', sex: 'Sex', sexUnset: 'Prefer not to say', female: 'Female', male: 'Male', other: 'Other',
    pregnant: 'I am pregnant', lactating: 'I am breastfeeding',
    goals: 'Goals', medications: 'Medications you take (comma separated)',
    quizButton: 'Get my recommendation',
    sending: 'Sending…',
    needQuery: 'Type what you are looking for or tick at least one goal.',
    backendDown: 'The recommendation service is not available right now. Please try again in a few minutes.',
    backendSlow: 'The recommendation service is taking too long to answer. Please try again in a few minutes.',
    busy: 'There are many requests right now. Please try again in a few seconds.',
    offline: 'The portal cannot be reached. Check your connection and try again.',
    invalid: 'Please check the form:',
    progressHeading: 'Preparing your recommendation',
    progressLabel: 'Recommendation progress',
    starting: 'Starting…',
    attempt: 'Attempt {n}',
    connectionLost: 'The connection to the service was lost; still trying…',
    timeoutHeading: 'Still working',
    timeoutBody: 'This is taking longer than usual. Do you want to keep waiting?',
    keepWaiting: 'Keep waiting',
    failedHeading: 'We could not complete the recommendation',
    cancelled: 'The recommendation was cancelled.',
    retry: 'Try again', retrying: 'Trying again…', retryFailed: 'Could not try again ({code}).',
    notFoundHeading: 'We could not find this recommendation',
    notFoundBody: 'The link is not valid or the recommendation has expired.',
    errorHeading: 'We cannot follow the recommendation',
    newSearch: 'New search',
    resultHeading: 'Your recommendation',
    resultFor: 'Results for', resultForQuiz: 'Based on your quiz',
    form: 'Form', dose: 'Dose', timing: 'When', evidence: 'Evidence', evidenceGrade: 'Evidence {grade}',
    reasons: 'Why', warnings: 'Precautions', interactions: 'Interactions', sources: 'Sources',
    generalWarnings: 'General notes', suggestions: 'Did you mean', noItems: 'We found no supplements for this search.',
    narrativeHeading: 'Explanation', narrativeWriting: 'Writing…',
    narrativeUnavailable: 'The explanation is not available this time; the recommendation above is complete.',
    disclaimer: 'Note',
  },
} as const;

export type TextKey = keyof typeof kTexts.es;

/** The text `key` in `lang`, with {name} placeholders filled in. */
export function T(lang: Lang, key: TextKey, values: Record<string, string | number> = {}): string {
  return kTexts[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** The quiz goals (ids the engine knows) and their labels. */
export const kGoals: ReadonlyArray<{ id: string; es: string; en: string }> = [
  { id: 'sleep', es: 'Dormir mejor', en: 'Better sleep' },
  { id: 'stress_anxiety', es: 'Estrés y ansiedad', en: 'Stress and anxiety' },
  { id: 'energy', es: 'Energía y cansancio', en: 'Energy and tiredness' },
  { id: 'bone_health', es: 'Huesos fuertes', en: 'Strong bones' },
  { id: 'immune', es: 'Defensas', en: 'Immunity' },
  { id: 'heart_health', es: 'Salud del corazón', en: 'Heart health' },
  { id: 'cognition', es: 'Memoria y concentración', en: 'Memory and focus' },
  { id: 'mood', es: 'Estado de ánimo', en: 'Mood' },
];
