import { describe, expect, it } from 'vitest';
import { HostStatusError, hostStatusComplete, parseHostStatus } from '../../src/domain/index.js';

/*
 * Source: Zebra ZPL II Programming Guide, ~HS "Host Status Return" (45541L-004 Rev. A, p. 171–172;
 * also docs.zebra.com › ZPL Programming Guide › ZPL Commands › ~HS). The printer answers three
 * strings, each <STX>…<ETX><CR><LF>:
 *   1  aaa,b,c,dddd,eee,f,g,h,iii,j,k,l
 *      communication settings, paper out, pause, label length (dots), formats in receive buffer,
 *      buffer full, diagnostic mode, partial format, unused (000), corrupt RAM, under temperature,
 *      over temperature
 *   2  mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www
 *      function settings, unused, head up, ribbon out, thermal transfer mode, print mode
 *      (0 rewind, 1 peel-off, 2 tear-off, 3 cutter, 4 applicator, 5 delayed cut), print width mode,
 *      label waiting, labels remaining in batch, format while printing (always 1), graphics stored
 *   3  xxxx,y
 *      password, static RAM installed
 */
const STX = '\u0002';
const ETX = '\u0003';
const answer = (...strings: string[]) => strings.map((s) => `${STX}${s}${ETX}\r\n`).join('');

describe('parseHostStatus', () => {
  it('a ready printer: every flag 0', () => {
    // A 203 dpi printer with 30 mm labels: 30 / 25.4 × 203 = 239.8 → label length 0240 dots.
    // String 2: thermal transfer (q = 1), tear-off (r = 2), print width mode 4.
    const status = parseHostStatus(answer('030,0,0,0240,000,0,0,0,000,0,0,0', '001,0,0,0,1,2,4,0,00000000,1,000', '1234,0'));
    expect(status).toEqual({
      ready: true,
      state: 'ready',
      conditions: [],
      paperOut: false,
      paused: false,
      headOpen: false,
      ribbonOut: false,
      overTemperature: false,
      underTemperature: false,
      bufferFull: false,
      configurationLost: false,
      partialFormat: false,
      diagnosticMode: false,
      labelWaiting: false,
      thermalTransfer: true,
      printMode: 'tear-off',
      printModeCode: '2',
      labelLengthDots: 240,
      formatsInBuffer: 0,
      labelsRemaining: 0,
      graphicsStored: 0,
      communicationSettings: 30,
      functionSettings: 1,
      staticRamInstalled: false,
    });
  });

  it('paper out while a batch is under way: paper out and pause, labels remaining, formats waiting', () => {
    // Field by field (string 1): b = 1 paper out, c = 1 pause (a Zebra pauses when the media runs
    // out), eee = 002 formats in the buffer. String 2: q = 0 direct thermal, r = 1 peel-off,
    // t = 1 label waiting, uuuuuuuu = 00000025 labels remaining, www = 003 graphics. String 3: y = 1.
    const status = parseHostStatus(answer('030,1,1,0240,002,0,0,0,000,0,0,0', '001,0,0,0,0,1,4,1,00000025,1,003', '1234,1'));
    expect(status.ready).toBe(false);
    // The cause (paper out) is shown before its consequence (paused).
    expect(status.state).toBe('paper-out');
    expect(status.conditions).toEqual(['paper-out', 'paused']);
    expect(status).toMatchObject({
      paperOut: true,
      paused: true,
      formatsInBuffer: 2,
      thermalTransfer: false,
      printMode: 'peel-off',
      labelWaiting: true,
      labelsRemaining: 25,
      graphicsStored: 3,
      staticRamInstalled: true,
    });
  });

  it('head open, ribbon out and over temperature: every condition, worst first', () => {
    // String 1: f = 1 buffer full, j = 1 corrupt RAM, k = 0, l = 1 over temperature.
    // String 2: o = 1 head up, p = 1 ribbon out, r = 3 cutter.
    const status = parseHostStatus(answer('030,0,0,0240,000,1,0,0,000,1,0,1', '001,0,1,1,1,3,4,0,00000000,1,000', '1234,0'));
    expect(status.conditions).toEqual(['head-open', 'ribbon-out', 'over-temperature', 'configuration-lost', 'buffer-full']);
    expect(status.state).toBe('head-open');
    expect(status.printMode).toBe('cutter');
  });

  it('under temperature alone, and a paused printer alone', () => {
    expect(parseHostStatus(answer('030,0,0,0240,000,0,0,0,000,0,1,0', '001,0,0,0,1,2,4,0,00000000,1,000', '1234,0')).state).toBe('under-temperature');
    expect(parseHostStatus(answer('030,0,1,0240,000,0,0,0,000,0,0,0', '001,0,0,0,1,2,4,0,00000000,1,000', '1234,0')).conditions).toEqual(['paused']);
  });

  it('never returns the password of string 3', () => {
    const status = parseHostStatus(answer('030,0,0,0240,000,0,0,0,000,0,0,0', '001,0,0,0,1,2,4,0,00000000,1,000', '9876,0'));
    expect(JSON.stringify(status)).not.toContain('9876');
  });

  it('keeps a print mode code it does not know, and ignores fields newer firmware adds', () => {
    const status = parseHostStatus(answer('030,0,0,0240,000,0,0,0,000,0,0,0,7', '001,0,0,0,1,K,4,0,00000000,1,000,0', '1234,0'));
    expect(status.printMode).toBeNull();
    expect(status.printModeCode).toBe('K');
    expect(status.ready).toBe(true);
  });

  it('reads past CR/LF and noise outside the frames', () => {
    const text = 'junk' + answer('030,0,1,0240,000,0,0,0,000,0,0,0', '001,0,0,0,1,2,4,0,00000000,1,000', '1234,0').replace(/\r\n/g, '\n');
    expect(parseHostStatus(text).paused).toBe(true);
  });

  it.each([
    ['no frame at all', 'OK\r\n', 'answer'],
    ['two strings and an unclosed third', answer('030,0,0,0240,000,0,0,0,000,0,0,0', '001,0,0,0,1,2,4,0,00000000,1,000') + `${STX}1234,0`, 'answer'],
    ['string 1 cut short', answer('030,0,0,0240', '001,0,0,0,1,2,4,0,00000000,1,000', '1234,0'), 'string1'],
    ['a flag that is not 0 or 1', answer('030,2,0,0240,000,0,0,0,000,0,0,0', '001,0,0,0,1,2,4,0,00000000,1,000', '1234,0'), 'string1.b'],
    ['labels remaining not digits', answer('030,0,0,0240,000,0,0,0,000,0,0,0', '001,0,0,0,1,2,4,0,0000002X,1,000', '1234,0'), 'string2.uuuuuuuu'],
    ['a print mode of two characters', answer('030,0,0,0240,000,0,0,0,000,0,0,0', '001,0,0,0,1,12,4,0,00000000,1,000', '1234,0'), 'string2.r'],
    ['string 3 without the RAM flag', answer('030,0,0,0240,000,0,0,0,000,0,0,0', '001,0,0,0,1,2,4,0,00000000,1,000', '1234'), 'string3'],
  ])('refuses %s, naming where', (_name, text, field) => {
    let caught: unknown;
    try {
      parseHostStatus(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HostStatusError);
    expect((caught as HostStatusError).field).toBe(field);
    expect((caught as HostStatusError).message).toEqual(expect.any(String));
  });
});

describe('hostStatusComplete', () => {
  it('is true once the third string is closed', () => {
    const full = answer('030,0,0,0240,000,0,0,0,000,0,0,0', '001,0,0,0,1,2,4,0,00000000,1,000', '1234,0');
    const third = full.lastIndexOf(ETX);
    expect(hostStatusComplete(full.slice(0, third))).toBe(false);
    expect(hostStatusComplete(full.slice(0, third + 1))).toBe(true);
    expect(hostStatusComplete('')).toBe(false);
  });
});
