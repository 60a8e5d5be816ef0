// The portal page: a search box and an optional quiz. Submits to POST /api/portal/quiz and goes
// to /portal/results?id=… on 202 (or on a legacy 200 carrying the finished status, which is
// handed over in sessionStorage so the results page can show it at once).
import { Lang, SetUpLanguageSwitch, T } from './i18n.js';

const kSubmitUrl = '/api/portal/quiz';
const kQuizId = 'portal-v1';
// Parameters of this page's URL passed on to the results page (language, test knobs).
const kForwardedParams = ['lang', 'poll', 'sse', 'timeout'];

const form = document.getElementById('recommend-form');
const queryInput = document.getElementById('query');
const errorBox = document.getElementById('form-error');
const quiz = document.getElementById('quiz');
const sex = document.getElementById('sex');
const pregnancyRow = document.getElementById('pregnancy-row');
const submitButtons = form.querySelectorAll('button[type="submit"]');

// Server field names (as in the 400 error's "field") → the control to mark.
const kFieldControls = {
  'query': 'query',
  'answers': 'quiz',
  'answers.age': 'age',
  'answers.sex': 'sex',
  'answers.pregnant': 'pregnant',
  'answers.lactating': 'lactating',
  'answers.diet': 'diet',
  'answers.goals': 'goals',
  'answers.conditions': 'other-conditions',
  'answers.medications': 'medications',
  'locale': 'query',
};

function SplitList(text) {
  return text.split(/[,;\n]/).map((s) => s.trim()).filter((s) => s !== '');
}

function Checked(name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((c) => c.value);
}

// The quiz answers, or null when the visitor left every question untouched.
function CollectAnswers() {
  const answers = {};
  const ageText = form.elements.age.value.trim();
  if (ageText !== '') answers.age = Number(ageText);
  if (sex.value) answers.sex = sex.value;
  const pregnancyShown = !pregnancyRow.hidden;
  if (pregnancyShown && form.elements.pregnant.checked) answers.pregnant = true;
  if (pregnancyShown && form.elements.lactating.checked) answers.lactating = true;
  if (form.elements.diet.value) answers.diet = form.elements.diet.value;
  const goals = Checked('goals');
  if (goals.length) answers.goals = goals;
  const conditions = [...Checked('conditions'), ...SplitList(form.elements['other-conditions'].value)];
  if (conditions.length) answers.conditions = conditions;
  const medications = SplitList(form.elements.medications.value);
  if (medications.length) answers.medications = medications;
  return Object.keys(answers).length ? answers : null;
}

function ClearError() {
  errorBox.hidden = true;
  errorBox.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

function ShowError(message, field) {
  errorBox.textContent = message;
  errorBox.hidden = false;
  const base = (field ?? '').replace(/\[\d+\]$/, '');
  const id = kFieldControls[base] ?? kFieldControls[field ?? ''];
  const control = id ? document.getElementById(id) : null;
  if (control) {
    if (control !== quiz && control.closest('#quiz')) quiz.open = true;
    control.setAttribute('aria-invalid', 'true');
    const focusable = control.matches('input, select, textarea')
      ? control
      : control.querySelector('input, select, textarea, summary');
    focusable?.focus();
  }
}

function SetBusy(busy) {
  for (const b of submitButtons) {
    b.disabled = busy;
    b.textContent = T(busy ? 'search.submitting' : 'search.submit');
  }
  form.setAttribute('aria-busy', String(busy));
}

function ResultsUrl(id) {
  const params = new URLSearchParams({ id });
  const here = new URLSearchParams(location.search);
  for (const name of kForwardedParams) if (here.has(name)) params.set(name, here.get(name));
  return `/portal/results?${params}`;
}

async function ReadJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

async function Submit(event) {
  event.preventDefault();
  ClearError();
  const query = queryInput.value.trim();
  const answers = CollectAnswers();
  if (!query && !answers) {
    ShowError(T('form.needInput'), 'query');
    return;
  }
  const body = { locale: Lang(), quiz_id: kQuizId };
  if (query) body.query = query;
  if (answers) body.answers = answers;

  SetBusy(true);
  let response;
  try {
    response = await fetch(kSubmitUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    SetBusy(false);
    ShowError(T('form.network'));
    return;
  }
  const data = await ReadJson(response);
  const id = data?.recommendation_id;
  if ((response.status === 202 || response.status === 200) && typeof id === 'string' && id) {
    if (response.status === 200 && data.status === 'completed') {
      try {
        sessionStorage.setItem(`vitarec.status.${id}`, JSON.stringify(data));
      } catch {
        // the results page will read the status from the server instead
      }
    }
    location.assign(ResultsUrl(id));
    return;
  }
  SetBusy(false);
  if (response.status === 400 || response.status === 413 || response.status === 415) {
    const error = data?.error ?? {};
    ShowError(T('form.invalid', { message: error.message ?? response.statusText }), error.field);
  } else if (response.status === 429 || response.status === 503) {
    ShowError(T('form.busy'));
  } else {
    ShowError(T('form.unexpected', { status: response.status }));
  }
}

// The pregnancy questions only make sense when the visitor is not male.
function UpdatePregnancyRow() {
  pregnancyRow.hidden = sex.value === 'male';
}

SetUpLanguageSwitch();
const prefill = new URLSearchParams(location.search).get('q');
if (prefill) queryInput.value = prefill;
sex.addEventListener('change', UpdatePregnancyRow);
UpdatePregnancyRow();
form.addEventListener('submit', Submit);
// Coming back with the browser's Back button restores the page from cache: re-enable it.
window.addEventListener('pageshow', () => SetBusy(false));
