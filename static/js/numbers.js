// Numbers and plurals in the page's language (<html lang>): "0,9" and "1 réponse" in French.
// Plural forms come from the server's catalogue as [one, other] (ngettext for 1 and for 2),
// with {n} where the number goes.

const lang = document.documentElement.lang || "fr";
const rules = new Intl.PluralRules(lang);
const formats = new Map();

export function number(value, digits = 0) {
  if (!formats.has(digits)) {
    formats.set(digits, new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  }
  return formats.get(digits).format(value);
}

export function percent(share) {
  return new Intl.NumberFormat(lang, { style: "percent" }).format(share);
}

export function plural(forms, n) {
  const form = rules.select(n) === "one" ? forms[0] : forms[1];
  return form.replace("{n}", number(n));
}
