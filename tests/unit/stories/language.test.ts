import { describe, expect, it } from 'vitest';
import { primaryLanguage } from '#lib/stories/language.ts';
import { detectLanguage } from '#lib/stories/normalize.ts';

describe('detectLanguage', () => {
  it.each([
    ['en', 'The government said on Tuesday that it will not drop the plan to scan messages for the police.'],
    [
      'de',
      'Die Bundesregierung will die Überwachung von Messengern ausweiten, sagte der Minister am Dienstag.',
    ],
    [
      'fr',
      'Le gouvernement veut un accès aux messages chiffrés pour la police et les services de renseignement.',
    ],
    [
      'es',
      'El gobierno quiere acceso a los mensajes cifrados para la policía y los servicios de inteligencia.',
    ],
    [
      'it',
      'Il governo vuole accedere ai messaggi cifrati per la polizia e per i servizi di intelligence che sono attivi.',
    ],
    [
      'nl',
      'De regering wil toegang tot versleutelde berichten voor de politie en het is niet de eerste keer.',
    ],
    ['ru', 'Правительство требует доступ к зашифрованной переписке.'],
    ['uk', 'Уряд вимагає доступ до зашифрованого листування і їхніх даних.'],
    ['ja', '政府は通信の監視を強化する方針です。'],
    ['zh', '政府要求访问加密的私人信息。'],
    ['ko', '정부는 암호화된 메시지에 대한 접근을 요구했다.'],
  ])('recognizes %s', (language, text) => {
    expect(detectLanguage(text)).toBe(language);
  });

  it('gives up on text too short to tell', () => {
    expect(detectLanguage('Spyware')).toBeUndefined();
  });
});

describe('primaryLanguage', () => {
  it.each([
    ['en-US', 'en'],
    ['EN_gb', 'en'],
    [' de ', 'de'],
    ['x-klingon-1', undefined],
    ['', undefined],
  ])('reads %j as %j', (tag, expected) => {
    expect(primaryLanguage(tag)).toBe(expected);
  });
});
