/**
 * MACRS GDS percentage tables, IRS Publication 946 (How To Depreciate Property), Appendix A.
 * The published percentages are the authority — they are rounded (two places; three for 20-year
 * property) and adjusted by the IRS so each column totals 100 %, so we encode them as printed
 * rather than derive them. Percent of the unadjusted basis, by recovery year 1, 2, … (recovery
 * year = tax year; year 1 is the tax year placed in service).
 *
 * 3-, 5-, 7- and 10-year property: 200 % declining balance switching to straight line;
 * 15- and 20-year property: 150 % declining balance switching to straight line.
 *
 * One published quirk kept as printed: Table A-2, 20-year, year 2 reads 7.000 (the formula gives
 * 7.008) and year 21 reads 0.565 (formula 0.557); the column still totals 100.000.
 */
import type { MacrsRecoveryPeriod } from './types.js';

type Column = readonly string[];
type Table = Readonly<Record<MacrsRecoveryPeriod, Column>>;

const cols = (text: string): Column => text.trim().split(/\s+/);

/** Table A-1 — half-year convention. */
export const TABLE_A1_HALF_YEAR: Table = {
  3: cols('33.33 44.45 14.81 7.41'),
  5: cols('20.00 32.00 19.20 11.52 11.52 5.76'),
  7: cols('14.29 24.49 17.49 12.49 8.93 8.92 8.93 4.46'),
  10: cols('10.00 18.00 14.40 11.52 9.22 7.37 6.55 6.55 6.56 6.55 3.28'),
  15: cols('5.00 9.50 8.55 7.70 6.93 6.23 5.90 5.90 5.91 5.90 5.91 5.90 5.91 5.90 5.91 2.95'),
  20: cols(`3.750 7.219 6.677 6.177 5.713 5.285 4.888 4.522 4.462 4.461
            4.462 4.461 4.462 4.461 4.462 4.461 4.462 4.461 4.462 4.461 2.231`),
};

/** Table A-2 — mid-quarter convention, placed in service in the first quarter. */
export const TABLE_A2_MID_QUARTER_Q1: Table = {
  3: cols('58.33 27.78 12.35 1.54'),
  5: cols('35.00 26.00 15.60 11.01 11.01 1.38'),
  7: cols('25.00 21.43 15.31 10.93 8.75 8.74 8.75 1.09'),
  10: cols('17.50 16.50 13.20 10.56 8.45 6.76 6.55 6.55 6.56 6.55 0.82'),
  15: cols('8.75 9.13 8.21 7.39 6.65 5.99 5.90 5.91 5.90 5.91 5.90 5.91 5.90 5.91 5.90 0.74'),
  20: cols(`6.563 7.000 6.482 5.996 5.546 5.130 4.746 4.459 4.459 4.459
            4.459 4.460 4.459 4.460 4.459 4.460 4.459 4.460 4.459 4.460 0.565`),
};

/** Table A-3 — mid-quarter convention, placed in service in the second quarter. */
export const TABLE_A3_MID_QUARTER_Q2: Table = {
  3: cols('41.67 38.89 14.14 5.30'),
  5: cols('25.00 30.00 18.00 11.37 11.37 4.26'),
  7: cols('17.85 23.47 16.76 11.97 8.87 8.87 8.87 3.34'),
  10: cols('12.50 17.50 14.00 11.20 8.96 7.17 6.55 6.55 6.56 6.55 2.46'),
  15: cols('6.25 9.38 8.44 7.59 6.83 6.15 5.91 5.90 5.91 5.90 5.91 5.90 5.91 5.90 5.91 2.21'),
  20: cols(`4.688 7.148 6.612 6.116 5.658 5.233 4.841 4.478 4.463 4.463
            4.463 4.463 4.463 4.463 4.462 4.463 4.462 4.463 4.462 4.463 1.673`),
};

/** Table A-4 — mid-quarter convention, placed in service in the third quarter. */
export const TABLE_A4_MID_QUARTER_Q3: Table = {
  3: cols('25.00 50.00 16.67 8.33'),
  5: cols('15.00 34.00 20.40 12.24 11.30 7.06'),
  7: cols('10.71 25.51 18.22 13.02 9.30 8.85 8.86 5.53'),
  10: cols('7.50 18.50 14.80 11.84 9.47 7.58 6.55 6.55 6.56 6.55 4.10'),
  15: cols('3.75 9.63 8.66 7.80 7.02 6.31 5.90 5.90 5.91 5.90 5.91 5.90 5.91 5.90 5.91 3.69'),
  20: cols(`2.813 7.289 6.742 6.237 5.769 5.336 4.936 4.566 4.460 4.460
            4.460 4.460 4.461 4.460 4.461 4.460 4.461 4.460 4.461 4.460 2.788`),
};

/** Table A-5 — mid-quarter convention, placed in service in the fourth quarter. */
export const TABLE_A5_MID_QUARTER_Q4: Table = {
  3: cols('8.33 61.11 20.37 10.19'),
  5: cols('5.00 38.00 22.80 13.68 10.94 9.58'),
  7: cols('3.57 27.55 19.68 14.06 10.04 8.73 8.73 7.64'),
  10: cols('2.50 19.50 15.60 12.48 9.98 7.99 6.55 6.55 6.56 6.55 5.74'),
  15: cols('1.25 9.88 8.89 8.00 7.20 6.48 5.90 5.90 5.90 5.91 5.90 5.91 5.90 5.91 5.90 5.17'),
  20: cols(`0.938 7.430 6.872 6.357 5.880 5.439 5.031 4.654 4.458 4.458
            4.458 4.458 4.458 4.458 4.458 4.458 4.458 4.459 4.458 4.459 3.901`),
};

export const MID_QUARTER_TABLES: Readonly<Record<1 | 2 | 3 | 4, Table>> = {
  1: TABLE_A2_MID_QUARTER_Q1,
  2: TABLE_A3_MID_QUARTER_Q2,
  3: TABLE_A4_MID_QUARTER_Q3,
  4: TABLE_A5_MID_QUARTER_Q4,
};
