import { describe, expect, it } from 'vitest';
import { etsForecast, etsRun, type EtsParams } from '../../src/kpi/forecast/ets.ts';
import { fitEts } from '../../src/kpi/forecast/fit-ets.ts';
import { forecastSeries, forecastSum } from '../../src/kpi/forecast/forecast-series.ts';
import { nelderMead } from '../../src/kpi/forecast/nelder-mead.ts';
import { normalCdf, Z80, Z95 } from '../../src/kpi/forecast/normal.ts';

// Worked examples of Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 2nd ed.
// (OTexts 2018), §7.1 and §7.2 (https://otexts.com/fpp2/ses.html, https://otexts.com/fpp2/holt.html),
// computed there with the R forecast package: `ses(oildata, h=5)` and `holt(air, h=5)`.
// The data are the fpp2 package's `oil` (Saudi Arabian oil production, millions of tonnes,
// 1996–2013) and `ausair` (air passengers in Australia, millions, 1990–2016).
const OIL = [
  445.364098092, 453.195010427, 454.409641012, 422.378905779, 456.037121728, 440.386604674, 425.194372519, 486.20517351, 500.429086073, 521.27590917,
  508.947617045, 488.888857729, 509.870574978, 456.722912348, 473.816602915, 525.950870565, 549.833807597, 542.340469826,
];
const AIR = [
  17.5534, 21.8601, 23.8866, 26.9293, 26.8885, 28.8314, 30.0751, 30.9535, 30.1857, 31.5797, 32.57757, 33.4774, 39.02158, 41.38643, 41.59655, 44.65732, 46.95177,
  48.72884, 51.48843, 50.02697, 60.64091, 63.36031, 66.35527, 68.19795, 68.12324, 69.77935, 72.5977,
];

const params = (p: Partial<EtsParams>): EtsParams => ({ alpha: 0, beta: 0, gamma: 0, phi: 1, level: 0, slope: 0, season: [], ...p });

describe('simple exponential smoothing: FPP2 §7.1, oil production', () => {
  // Published: alpha = 0.8339, l = 446.5868, sigma = 29.8282, AIC 178.1430, AICc 179.8573, and
  //   2014  542.6806  Lo80 504.4541  Hi80 580.9070  Lo95 484.2183  Hi95 601.1429
  //   2015  542.6806  Lo80 492.9073  Hi80 592.4539  Lo95 466.5589  Hi95 618.8023
  const ses = { trend: 'none', period: 0 } as const;

  it('with the published parameters, reproduces the published forecasts and intervals', () => {
    const p = params({ alpha: 0.8339, level: 446.5868 });
    const run = etsRun(OIL, ses, p);
    expect(run.fitted[0]).toBe(446.5868); // the first fitted value is the initial level
    const sigma2 = run.sse / (OIL.length - 2); // R: SSE ÷ (n − number of estimated parameters)
    expect(Math.sqrt(sigma2)).toBeCloseTo(29.8282, 2);
    const fc = etsForecast(run, ses, p, sigma2, 2);
    expect(fc.mean[0]).toBeCloseTo(542.6806, 2);
    expect(fc.mean[0]! - Z80 * Math.sqrt(fc.variance[0]!)).toBeCloseTo(504.4541, 1);
    expect(fc.mean[0]! + Z95 * Math.sqrt(fc.variance[0]!)).toBeCloseTo(601.1429, 1);
    expect(fc.mean[1]! - Z80 * Math.sqrt(fc.variance[1]!)).toBeCloseTo(492.9073, 1);
    expect(fc.mean[1]! + Z95 * Math.sqrt(fc.variance[1]!)).toBeCloseTo(618.8023, 1);
  });

  it('estimates the published parameters and information criteria', () => {
    const fit = fitEts(OIL, ses);
    expect(fit.params.alpha).toBeCloseTo(0.8339, 3);
    // The likelihood is flat in ℓ0 near the optimum: 0.05 on 446.6 moves the SSE by under 1e−4.
    expect(Math.abs(fit.params.level - 446.5868)).toBeLessThan(0.05);
    expect(Math.sqrt(fit.sigma2)).toBeCloseTo(29.8282, 3);
    expect(fit.aic).toBeCloseTo(178.143, 3);
    expect(fit.aicc).toBeCloseTo(179.8573, 3);
  });
});

describe("Holt's linear trend: FPP2 §7.2, air passengers", () => {
  // Published: alpha = 0.8302, beta = 1e-04, l = 15.5715, b = 2.1017, sigma 2.3645, AIC 141.1291, and
  //   2017  74.60130  Lo80 71.57106  Hi80 77.63154  Lo95 69.96695  Hi95 79.23566
  const holt = { trend: 'additive', period: 0 } as const;

  it('with the published parameters, reproduces the published forecast, sigma and interval', () => {
    const p = params({ alpha: 0.8302, beta: 1e-4, level: 15.5715, slope: 2.1017 });
    const run = etsRun(AIR, holt, p);
    const sigma2 = run.sse / (AIR.length - 4);
    expect(Math.sqrt(sigma2)).toBeCloseTo(2.3645, 3);
    expect(AIR.length * Math.log(run.sse) + 2 * 5).toBeCloseTo(141.1291, 2);
    const fc = etsForecast(run, holt, p, sigma2, 1);
    expect(fc.mean[0]).toBeCloseTo(74.6013, 3);
    expect(fc.mean[0]! - Z80 * Math.sqrt(fc.variance[0]!)).toBeCloseTo(71.57106, 2);
    expect(fc.mean[0]! + Z95 * Math.sqrt(fc.variance[0]!)).toBeCloseTo(79.23566, 2);
  });

  it('fits an optimum at least as good as the published one, with β on its lower bound', () => {
    const fit = fitEts(AIR, holt);
    // R's optimiser stopped at AIC 141.1291; a lower value is a better least-squares fit, not a worse one.
    expect(fit.aic).toBeLessThanOrEqual(141.1291 + 1e-6);
    expect(fit.aic).toBeGreaterThan(141.1291 - 0.05);
    expect(fit.params.alpha).toBeCloseTo(0.8302, 1);
    expect(fit.params.beta).toBeLessThan(1e-3);
    const fc = etsForecast(fit.run, holt, fit.params, fit.sigma2, 1);
    expect(Math.abs(fc.mean[0]! - 74.6013)).toBeLessThan(0.05);
  });
});

describe('the h-step variance of the damped and seasonal models (Hyndman et al. 2008, table 6.1)', () => {
  it('adds c_j² = (α + βφ_j + γ[j mod m = 0])² for each earlier step', () => {
    const spec = { trend: 'damped', period: 2 } as const;
    const p = params({ alpha: 0.5, beta: 0.1, gamma: 0.2, phi: 0.9, level: 10, slope: 1, season: [-1, 1] });
    const run = etsRun([], spec, p);
    const { mean, variance } = etsForecast(run, spec, p, 1, 3);
    // means: ℓ + φ_h b + s: φ_1 = 0.9, φ_2 = 1.71, φ_3 = 2.439; seasons −1, 1, −1
    expect(mean).toEqual([10 + 0.9 - 1, 10 + 1.71 + 1, 10 + 0.9 + 0.81 + 0.729 - 1].map((v) => expect.closeTo(v, 10)));
    const c1 = 0.5 + 0.1 * 0.9;
    const c2 = 0.5 + 0.1 * 1.71 + 0.2;
    expect(variance[0]).toBeCloseTo(1, 12);
    expect(variance[1]).toBeCloseTo(1 + c1 ** 2, 12);
    expect(variance[2]).toBeCloseTo(1 + c1 ** 2 + c2 ** 2, 12);
  });
});

describe('multiplicative errors (Hyndman et al. 2008 §6.4 class 2; FPP3 §8.5–8.6)', () => {
  // No published ETS(M,·,N) fit on data we hold was found, so these check the formulas of the
  // sources against values worked out by hand from them, written out below.

  it('the likelihood: L* = n·log(Σε²) + 2·Σlog|ŷ| with ε = (y − ŷ) ÷ ŷ (FPP3 §8.6)', () => {
    // ETS(M,N,N), α = 0.5, ℓ0 = 100 on y = 110, 99: ŷ1 = 100, ε1 = 0.1, ℓ1 = 100 + 0.5·10 = 105;
    // ŷ2 = 105, ε2 = −6/105 = −0.0571428…; Σε² = 0.01 + 0.0032653… = 0.0132653…
    const spec = { error: 'multiplicative', trend: 'none', period: 0 } as const;
    const run = etsRun([110, 99], spec, params({ alpha: 0.5, level: 100 }));
    expect(run.fitted).toEqual([100, 105]);
    expect(run.innovationSquares).toBeCloseTo(0.013265306122, 12);
    expect(run.logFitted).toBeCloseTo(9.259130536, 8); // log 100 + log 105 = 4.605170186 + 4.653960350
    // L* = 2·log(0.0132653061) + 2·9.259130536 = −8.645206428 + 18.518261072 = 9.873054644
    expect(2 * Math.log(run.innovationSquares) + 2 * run.logFitted).toBeCloseTo(9.873054644, 8);
    expect(run.sse).toBe(136); // 10² + 6²: the residuals in the data's units are the additive model's
  });

  it('the fitted model reports that likelihood in its AIC, and σ² is the relative errors’ variance', () => {
    const y = [100, 112, 104, 121, 133, 125, 148, 160, 151, 176, 190, 183, 210, 228];
    const fit = fitEts(y, { error: 'multiplicative', trend: 'additive', period: 0 });
    const { run, k } = fit;
    expect(k).toBe(5); // α, β, ℓ0, b0, σ
    expect(fit.aic).toBeCloseTo(y.length * Math.log(run.innovationSquares) + 2 * run.logFitted + 2 * 5, 9);
    expect(fit.aicc).toBeCloseTo(fit.aic + (2 * 5 * 6) / (y.length - 5 - 1), 9);
    expect(fit.sigma2).toBeCloseTo(run.innovationSquares / (y.length - 4), 12);
    // The relative errors of the fit, recomputed from its fitted values:
    const eps = y.map((v, i) => (v - run.fitted[i]!) / run.fitted[i]!);
    expect(run.innovationSquares).toBeCloseTo(
      eps.reduce((s, e) => s + e * e, 0),
      12,
    );
  });

  it('the h-step variance: v_h = (1 + σ²)θ_h − μ_h², θ_h = μ_h² + σ² Σ c_j² θ_{h−j}', () => {
    // ETS(M,A,N), α = 0.5, β = 0.1, ℓ = 100, b = 10, σ² = 0.01: μ = 110, 120, 130; c1 = 0.6, c2 = 0.7.
    // θ1 = 12100; θ2 = 14400 + 0.01·0.36·12100 = 14443.56; θ3 = 16900 + 0.01·(0.36·14443.56 + 0.49·12100) = 17011.286816
    // v1 = 0.01·12100 = 121 (σ·ŷ at one step); v2 = 1.01·14443.56 − 14400 = 187.9956; v3 = 1.01·17011.286816 − 16900 = 281.39968416
    const spec = { error: 'multiplicative', trend: 'additive', period: 0 } as const;
    const p = params({ alpha: 0.5, beta: 0.1, level: 100, slope: 10 });
    const { mean, variance } = etsForecast(etsRun([], spec, p), spec, p, 0.01, 3);
    expect(mean).toEqual([110, 120, 130].map((v) => expect.closeTo(v, 10)));
    expect(variance[0]).toBeCloseTo(121, 9);
    expect(variance[1]).toBeCloseTo(187.9956, 9);
    expect(variance[2]).toBeCloseTo(281.39968416, 8);
  });

  it('is chosen when the errors grow with the level, and its intervals widen with the level', () => {
    // A level that grows 5% a period with ±8% errors: the spread in units grows fourfold over the history.
    const shocks = [0.08, -0.08, 0.05, -0.05, 0.08, 0.02, -0.08, 0.05, -0.02, 0.08, -0.05, -0.08, 0.02, 0.05, -0.05];
    const y = Array.from({ length: 30 }, (_, i) => 100 * 1.05 ** i * (1 + shocks[i % shocks.length]!));
    const fc = forecastSeries(y, { horizon: 2, seasonPeriod: 1 });
    expect(fc.model).toMatch(/^ETS\(M,/);
    expect(fc.candidates).toBe(6); // three trends, additive and multiplicative errors
    const p = fc.points[0]!;
    expect(p.sd).toBeCloseTo(fc.sigma! * p.mean, 9); // one step ahead: σ·ŷ
    expect(p.hi80! - p.mean).toBeCloseTo(Z80 * fc.sigma! * p.mean, 9);
    // The sum of two steps: its error is μ1ε1(1 + ψ1) + μ2ε2, so sd = σ·√(μ1²(1 + ψ1)² + μ2²) (to first order in σ²).
    const [mu1, mu2] = [fc.points[0]!.mean, fc.points[1]!.mean];
    const sum = forecastSum(fc, 0, 1);
    expect(sum.mean).toBeCloseTo(mu1 + mu2, 9);
    expect(sum.sd).toBeCloseTo(fc.sigma! * Math.sqrt(mu1 ** 2 * (1 + fc.psi[1]!) ** 2 + mu2 ** 2), 9);
    expect(forecastSum(fc, 0, 0).sd).toBeCloseTo(p.sd!, 9);
  });

  it('is left out when a value is 0 or below, and the reason says so', () => {
    const y = [12, 15, 0, 14, 18, 16, 20, 17, 22, 19, 24, 21];
    const fc = forecastSeries(y, { horizon: 1, seasonPeriod: 1 });
    expect(fc.model).toMatch(/^ETS\(A,/);
    expect(fc.candidates).toBe(3);
    expect(fc.reason).toContain('values of 0 or below allow additive errors only');
  });
});

describe('model choice and fallbacks', () => {
  it('finds a weekly pattern in daily data with two full weeks or more, and says when history is too short', () => {
    const week = [100, 120, 130, 125, 140, 60, 40];
    const noise = [3, -2, 1, -4, 2, 0, -1, 4, -3, 2, 1, -2, 3, -1, 0, 2, -3, 1, 4, -2, -1, 3, -4, 2, 0, 1, -2, 3];
    const y = noise.map((e, i) => week[i % 7]! + e);
    const fc = forecastSeries(y, { horizon: 7, seasonPeriod: 7 });
    expect(fc.method).toBe('ets');
    expect(fc.seasonal).toBe(true);
    // Seasonal forecasts follow the weekday pattern: Friday (index 4) above Sunday (index 6).
    expect(fc.points[4]!.mean).toBeGreaterThan(fc.points[6]!.mean + 50);
    expect(fc.points.every((p) => p.lo80! < p.mean && p.mean < p.hi80! && p.lo95! < p.lo80!)).toBe(true);

    const short = forecastSeries([5, 7, 6], { horizon: 2, seasonPeriod: 12 });
    expect(short.method).toBe('naive');
    expect(short.reason).toMatch(/only 3 periods of history/);
    expect(short.points.map((p) => p.mean)).toEqual([6, 6]);
    // naive: σ̂ = √((2² + 1²)/2); h = 2 widens by √2
    expect(short.points[1]!.hi80! - 6).toBeCloseTo(Z80 * Math.sqrt(2.5) * Math.SQRT2, 10);
  });

  it('forecasts a constant history as itself', () => {
    const fc = forecastSeries([4, 4, 4, 4, 4, 4, 4, 4], { horizon: 1, seasonPeriod: 12 });
    expect(fc).toMatchObject({ method: 'naive', reason: 'the history is constant' });
    expect(fc.points[0]).toMatchObject({ mean: 4, lo95: 4, hi95: 4 });
  });
});

describe('numerical helpers', () => {
  it('Nelder–Mead finds the minimum of the Rosenbrock function', () => {
    const r = nelderMead(([x, y]) => 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2, [-1.2, 1], [0.5, 0.5]);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
  });

  it('Φ matches the normal table', () => {
    expect(normalCdf(Z95)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-Z80)).toBeCloseTo(0.1, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
  });
});
