/**
 * A small Swahili <-> English glossary of service words. Most of the catalogue (the eCitizen
 * data) is in English only, so a person who types "pasipoti" or "leseni" must still find
 * passports and licences; and English words find services named only in Swahili. Each entry
 * is one meaning; every word of an entry is searched as a near-equal of the others.
 */
import { foldText, stemWord } from './search-text.ts';

const entries: readonly (readonly string[])[] = [
  ['pasipoti', 'passport'],
  ['leseni', 'licence', 'license'],
  ['cheti', 'certificate'],
  ['kuzaliwa', 'birth'],
  ['kifo', 'death'],
  ['ndoa', 'marriage'],
  ['biashara', 'business', 'trade'],
  ['ardhi', 'land'],
  ['gari', 'magari', 'vehicle', 'motor'],
  ['kodi', 'tax'],
  ['usajili', 'kusajili', 'registration', 'register'],
  ['maombi', 'ombi', 'application', 'apply'],
  ['kibali', 'vibali', 'permit'],
  ['ada', 'fee'],
  ['malipo', 'kulipa', 'payment', 'pay'],
  ['kuhuisha', 'upya', 'renewal', 'renew'],
  ['kampuni', 'company'],
  ['kitambulisho', 'vitambulisho', 'identity', 'identification'],
  ['uraia', 'citizenship'],
  ['udereva', 'kuendesha', 'driving'],
  ['kazi', 'work', 'employment'],
  ['elimu', 'education'],
  ['afya', 'health'],
  ['kilimo', 'agriculture'],
  ['maji', 'water'],
  ['nyumba', 'house', 'housing'],
  ['uvuvi', 'fishing', 'fisheries'],
  ['mifugo', 'livestock'],
  ['chakula', 'food'],
  ['usafiri', 'transport'],
  ['mahakama', 'court'],
  ['polisi', 'police'],
  ['hati', 'title', 'deed'],
  ['ukaguzi', 'inspection'],
  ['wizara', 'ministry'],
  ['shirika', 'mamlaka', 'authority'],
  ['mtoto', 'watoto', 'child', 'children'],
  ['muhuri', 'stamp'],
];

function buildGlossary(): ReadonlyMap<string, readonly string[]> {
  const glossary = new Map<string, string[]>();
  for (const entry of entries) {
    const terms = [...new Set(entry.map((word) => stemWord(foldText(word))))];
    for (const term of terms) {
      const others = glossary.get(term) ?? [];
      for (const other of terms) if (other !== term && !others.includes(other)) others.push(other);
      glossary.set(term, others);
    }
  }
  return glossary;
}

const glossary = buildGlossary();

/** Words that mean the same as `term` in the other language (or a spelling variant). */
export function equivalentTerms(term: string): readonly string[] {
  return glossary.get(term) ?? [];
}
