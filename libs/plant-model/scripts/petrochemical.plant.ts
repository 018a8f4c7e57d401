/**
 * Demo plant 1: a small refinery site. ~150 kg/s (≈ 95 kbbl/d) crude distillation with preheat
 * train and fired heater, naphtha and diesel hydrotreaters with a hydrogen make-up compressor,
 * a fuel-gas network, a steam system (two gas-fired boilers, HP/MP/LP headers, back-pressure
 * turbo-generator, letdowns with desuperheating, deaerator, feed-water pump), a busbar and a tank farm.
 */
import {
  AIR,
  FLUE_CP,
  PlantBuilder,
  T0,
  bara,
  barg,
  degC,
  hFuel,
  hSensible,
  hWater,
  massFractions,
  normalise,
  stoichiometricAir,
  gasNormalDensity,
  gasLhv,
} from './demo-plant.builder';

const CP_OIL = 2100;
const CP_FG = 2200;
// Steam (IAPWS-IF97, rounded): HP 40 bar(a)/400 °C, MP 10 bar(a)/280 °C, LP 3.5 bar(a)/160 °C.
const H_HP = 3_214_500;
const H_MP = 3_008_400;
const H_LP = 2_776_300;
const H_BLOWDOWN = 1_087_400; // saturated liquid at 40 bar(a)

export const buildPetrochemicalSite = () => {
  const p = new PlantBuilder(
    'demo-petrochemical-site',
    'Demo petrochemical site',
    'Crude distillation, hydrotreating, fuel gas, steam and power, tank farm. Nominal values close the mass and energy balances.',
    { id: 'europoort', name: 'Europoort site' },
  );
  const tank = p.area('tank-farm', 'Tank farm', 50);
  const cdu = p.area('cdu', 'Crude distillation unit', 10);
  const ht = p.area('hydrotreating', 'Hydrotreating', 20);
  const fg = p.area('fuel-gas', 'Fuel-gas network', 30);
  const ut = p.area('utilities', 'Steam and power', 40);

  // ---- units
  const tanks = {
    crude: { id: 'TK-5101', name: 'Crude tank', d: 80, h: 20, rho: 860, level: 11.2, rate: 2.5e-6 },
    naphtha: { id: 'TK-5102', name: 'Hydrotreated naphtha tank', d: 40, h: 16, rho: 720, level: 8.4, rate: 0 },
    kero: { id: 'TK-5103', name: 'Kerosene tank', d: 40, h: 16, rho: 800, level: 6.1, rate: 0 },
    diesel: { id: 'TK-5104', name: 'Diesel tank', d: 50, h: 18, rho: 840, level: 12.9, rate: -1.8e-6 },
    residue: { id: 'TK-5105', name: 'Atmospheric residue tank', d: 45, h: 18, rho: 950, level: 9.3, rate: 0 },
  };
  for (const t of Object.values(tanks))
    tank.add({
      id: t.id,
      name: t.name,
      type: 'tank',
      inventory: { areaM2: Math.round((Math.PI * t.d * t.d) / 4), densityKgPerM3: t.rho, heightM: t.h, nominalLevelM: t.level, nominalLevelRateMPerS: t.rate },
    });
  const accumulation = (t: (typeof tanks)['crude']) => Math.round((Math.PI * t.d * t.d) / 4) * t.rho * t.rate;

  cdu.add({ id: 'P-1001', name: 'Crude charge pump', type: 'pump' });
  cdu.add({ id: 'E-1001', name: 'Crude/residue exchanger', type: 'heatExchanger' });
  cdu.add({ id: 'E-1002', name: 'Crude/diesel exchanger', type: 'heatExchanger' });
  cdu.add({ id: 'H-1001', name: 'Crude charge heater', type: 'furnace' });
  cdu.add({ id: 'C-1001', name: 'Atmospheric column (with overhead condenser)', type: 'column' });
  ht.add({ id: 'K-2001', name: 'Hydrogen make-up compressor', type: 'compressor' });
  ht.add({ id: 'R-2001', name: 'Naphtha hydrotreater reactor', type: 'reactor' });
  ht.add({ id: 'C-2001', name: 'Naphtha stripper', type: 'column' });
  ht.add({ id: 'R-2002', name: 'Diesel hydrotreater reactor', type: 'reactor' });
  ht.add({ id: 'C-2002', name: 'Diesel stripper', type: 'column' });
  fg.add({ id: 'D-3001', name: 'Fuel-gas mix drum', type: 'header' });
  ut.add({ id: 'B-4001', name: 'Boiler 1', type: 'boiler' });
  ut.add({ id: 'B-4002', name: 'Boiler 2', type: 'boiler' });
  ut.add({ id: 'HDR-4001', name: 'HP steam header', type: 'header' });
  ut.add({ id: 'HDR-4002', name: 'MP steam header', type: 'header' });
  ut.add({ id: 'HDR-4003', name: 'LP steam header', type: 'header' });
  ut.add({ id: 'ST-4001', name: 'Back-pressure turbo-generator', type: 'turbine' });
  ut.add({ id: 'PV-4001', name: 'HP/MP letdown and desuperheater', type: 'letdown' });
  ut.add({ id: 'PV-4002', name: 'MP/LP letdown and desuperheater', type: 'letdown' });
  ut.add({ id: 'D-4001', name: 'Deaerator', type: 'deaerator' });
  ut.add({ id: 'P-4001', name: 'Boiler feed-water pump', type: 'pump' });
  ut.add({ id: 'EB-4001', name: '11 kV busbar', type: 'busbar' });

  // ---- crude train
  const crude = 150;
  // hydrocarbons carry their lower heating value plus sensible heat (the same basis as the fuel gas),
  // so that distillation conserves energy without a source term
  const offgasComposition = massFractions({ H2: 2, CH4: 38, C2H6: 30, C3H8: 20, C4H10: 10 });
  const products = { offgas: 1.4, naphtha: 27.3, kero: 21.9, diesel: 37.6 };
  const residue = crude - products.offgas - products.naphtha - products.kero - products.diesel;
  const LHV = { naphtha: 44.9e6, kero: 43.2e6, diesel: 42.8e6, residue: 40.6e6, offgas: gasLhv(offgasComposition) };
  const lhvCrude =
    (products.offgas * LHV.offgas + products.naphtha * LHV.naphtha + products.kero * LHV.kero + products.diesel * LHV.diesel + residue * LHV.residue) / crude;
  const hOil = (t: number, lhv: number) => lhv + hSensible(t, CP_OIL);
  const crudeImport = crude + accumulation(tanks.crude);
  const tCrude = degC(28);
  p.stream({ id: 'crude-import', name: 'Crude receipt from terminal', kind: 'material', medium: 'crude', from: null, to: 'TK-5101',
    nominal: { massFlowKgPerS: crudeImport, temperatureK: tCrude, pressurePa: barg(6), densityKgPerM3: 860 } });
  p.stream({ id: 'crude-tank-out', name: 'Crude from tank', kind: 'material', medium: 'crude', from: 'TK-5101', to: 'P-1001',
    nominal: { massFlowKgPerS: crude, temperatureK: tCrude, pressurePa: barg(0.8), specificEnthalpyJPerKg: hOil(tCrude, lhvCrude), densityKgPerM3: 860 } });
  const pumpPower = 1_250_000;
  p.stream({ id: 'el-p1001', name: 'Crude charge pump motor', kind: 'energy', medium: 'electricity', from: 'EB-4001', to: 'P-1001', nominal: { powerW: pumpPower } });
  const hPumped = hOil(tCrude, lhvCrude) + pumpPower / crude;
  p.stream({ id: 'crude-charge', name: 'Crude charge', kind: 'material', medium: 'crude', from: 'P-1001', to: 'E-1001',
    nominal: { massFlowKgPerS: crude, temperatureK: T0 + (hPumped - lhvCrude) / CP_OIL, pressurePa: barg(28), specificEnthalpyJPerKg: hPumped, densityKgPerM3: 860 } });

  // column products (mass fractions of crude): offgas, naphtha, kerosene, diesel, residue
  const stripSteam = 3.2;
  const tResidue = degC(350);
  const tDiesel = degC(265);
  // E-1001: residue 350 → 135 °C heats crude; E-1002: diesel 265 → 120 °C heats crude further.
  const hRes = (t: number) => hOil(t, LHV.residue);
  const hDsl = (t: number) => hOil(t, LHV.diesel);
  const q1 = residue * (hRes(tResidue) - hRes(degC(135)));
  const hCrude1 = hPumped + q1 / crude;
  const q2 = products.diesel * (hDsl(tDiesel) - hDsl(degC(120)));
  const hCrude2 = hCrude1 + q2 / crude;
  p.stream({ id: 'crude-preheat-1', name: 'Crude after E-1001', kind: 'material', medium: 'crude', from: 'E-1001', to: 'E-1002',
    nominal: { massFlowKgPerS: crude, temperatureK: T0 + (hCrude1 - lhvCrude) / CP_OIL, pressurePa: barg(25), specificEnthalpyJPerKg: hCrude1, densityKgPerM3: 860 } });
  p.stream({ id: 'crude-preheat-2', name: 'Crude to heater', kind: 'material', medium: 'crude', from: 'E-1002', to: 'H-1001',
    nominal: { massFlowKgPerS: crude, temperatureK: T0 + (hCrude2 - lhvCrude) / CP_OIL, pressurePa: barg(22), specificEnthalpyJPerKg: hCrude2, densityKgPerM3: 860 } });
  // heater outlet: 360 °C, 45 % vaporised (latent 300 kJ/kg on the vaporised part)
  const hTransfer = hOil(degC(360), lhvCrude) + 0.45 * 300_000;
  p.stream({ id: 'crude-transfer', name: 'Transfer line to column', kind: 'material', medium: 'crude', from: 'H-1001', to: 'C-1001',
    nominal: { massFlowKgPerS: crude, temperatureK: degC(360), pressurePa: barg(1.6), specificEnthalpyJPerKg: hTransfer } });

  // column outlets
  const tOver = degC(40);
  p.stream({ id: 'cdu-offgas', name: 'CDU overhead off-gas', kind: 'material', medium: 'fuelGas', from: 'C-1001', to: 'D-3001',
    nominal: { massFlowKgPerS: products.offgas, temperatureK: tOver, pressurePa: barg(4.5), specificEnthalpyJPerKg: hFuel(offgasComposition, tOver, CP_FG), composition: offgasComposition, normalDensityKgPerNm3: gasNormalDensity(offgasComposition) } });
  p.stream({ id: 'cdu-naphtha', name: 'Full-range naphtha', kind: 'material', medium: 'naphtha', from: 'C-1001', to: 'R-2001',
    nominal: { massFlowKgPerS: products.naphtha, temperatureK: tOver, pressurePa: barg(12), specificEnthalpyJPerKg: hOil(tOver, LHV.naphtha), densityKgPerM3: 720 } });
  const tKero = degC(185);
  p.stream({ id: 'cdu-kerosene', name: 'Kerosene side draw', kind: 'material', medium: 'kerosene', from: 'C-1001', to: 'TK-5103',
    nominal: { massFlowKgPerS: products.kero, temperatureK: tKero, pressurePa: barg(3), specificEnthalpyJPerKg: hOil(tKero, LHV.kero), densityKgPerM3: 800 } });
  p.stream({ id: 'cdu-diesel', name: 'Diesel side draw', kind: 'material', medium: 'diesel', from: 'C-1001', to: 'E-1002',
    nominal: { massFlowKgPerS: products.diesel, temperatureK: tDiesel, pressurePa: barg(3.5), specificEnthalpyJPerKg: hDsl(tDiesel), densityKgPerM3: 840 } });
  p.stream({ id: 'cdu-residue', name: 'Atmospheric residue', kind: 'material', medium: 'residue', from: 'C-1001', to: 'E-1001',
    nominal: { massFlowKgPerS: residue, temperatureK: tResidue, pressurePa: barg(5), specificEnthalpyJPerKg: hRes(tResidue), densityKgPerM3: 950 } });
  p.stream({ id: 'residue-cooled', name: 'Residue to storage', kind: 'material', medium: 'residue', from: 'E-1001', to: 'TK-5105',
    nominal: { massFlowKgPerS: residue, temperatureK: degC(135), pressurePa: barg(3), specificEnthalpyJPerKg: hRes(degC(135)), densityKgPerM3: 950 } });
  p.stream({ id: 'diesel-cooled', name: 'Diesel to hydrotreater', kind: 'material', medium: 'diesel', from: 'E-1002', to: 'R-2002',
    nominal: { massFlowKgPerS: products.diesel, temperatureK: degC(120), pressurePa: barg(3), specificEnthalpyJPerKg: hDsl(degC(120)), densityKgPerM3: 840 } });
  const tSour = degC(40);
  p.stream({ id: 'cdu-sour-water', name: 'Overhead sour water', kind: 'material', medium: 'sourWater', from: 'C-1001', to: null,
    nominal: { massFlowKgPerS: stripSteam, temperatureK: tSour, pressurePa: barg(4), specificEnthalpyJPerKg: hWater(tSour), densityKgPerM3: 992 } });
  p.stream({ id: 'cdu-heat-loss', name: 'Column heat loss', kind: 'energy', medium: 'heat', from: 'C-1001', to: null, nominal: { powerW: 600_000 } });

  // ---- hydrotreating
  const h2Composition = massFractions({ H2: 92, CH4: 6, C2H6: 2 });
  const h2Nht = 0.16;
  const h2Dht = 0.42;
  const tH2 = degC(40);
  p.stream({ id: 'h2-import', name: 'Hydrogen from reformer', kind: 'material', medium: 'hydrogen', from: null, to: 'K-2001',
    nominal: { massFlowKgPerS: h2Nht + h2Dht, temperatureK: tH2, pressurePa: barg(18), composition: h2Composition, normalDensityKgPerNm3: gasNormalDensity(h2Composition) } });
  p.stream({ id: 'el-k2001', name: 'H2 compressor motor', kind: 'energy', medium: 'electricity', from: 'EB-4001', to: 'K-2001', nominal: { powerW: 2_100_000 } });
  p.stream({ id: 'h2-nht', name: 'Make-up hydrogen to NHT', kind: 'material', medium: 'hydrogen', from: 'K-2001', to: 'R-2001',
    nominal: { massFlowKgPerS: h2Nht, temperatureK: degC(95), pressurePa: barg(42), composition: h2Composition, normalDensityKgPerNm3: gasNormalDensity(h2Composition) } });
  p.stream({ id: 'h2-dht', name: 'Make-up hydrogen to DHT', kind: 'material', medium: 'hydrogen', from: 'K-2001', to: 'R-2002',
    nominal: { massFlowKgPerS: h2Dht, temperatureK: degC(95), pressurePa: barg(42), composition: h2Composition, normalDensityKgPerNm3: gasNormalDensity(h2Composition) } });

  const hydrotreater = (tag: 'nht' | 'dht', reactor: string, stripper: string, feed: number, h2: number, product: string, productTank: string, lpSteam: number) => {
    const effluent = feed + h2;
    p.stream({ id: `${tag}-effluent`, name: `${tag.toUpperCase()} reactor effluent`, kind: 'material', medium: 'effluent', from: reactor, to: stripper,
      nominal: { massFlowKgPerS: effluent, temperatureK: degC(tag === 'nht' ? 320 : 360), pressurePa: barg(tag === 'nht' ? 30 : 45) } });
    const offgas = round3(h2 * 1.9);
    const acid = round3(feed * (tag === 'nht' ? 0.0012 : 0.009));
    const composition = massFractions({ H2: 35, CH4: 30, C2H6: 20, C3H8: 10, C4H10: 5 });
    p.stream({ id: `${tag}-offgas`, name: `${tag.toUpperCase()} stripper off-gas`, kind: 'material', medium: 'fuelGas', from: stripper, to: 'D-3001',
      nominal: { massFlowKgPerS: offgas, temperatureK: degC(40), pressurePa: barg(4.5), specificEnthalpyJPerKg: hFuel(composition, degC(40), CP_FG), composition, normalDensityKgPerNm3: gasNormalDensity(composition) } });
    const acidComposition = massFractions({ H2S: 85, CO2: 10, CH4: 5 });
    p.stream({ id: `${tag}-acid-gas`, name: `${tag.toUpperCase()} acid gas to sulphur recovery`, kind: 'material', medium: 'acidGas', from: stripper, to: null,
      nominal: { massFlowKgPerS: acid, temperatureK: degC(45), pressurePa: barg(0.8), composition: acidComposition, normalDensityKgPerNm3: gasNormalDensity(acidComposition) } });
    p.stream({ id: `${tag}-sour-water`, name: `${tag.toUpperCase()} stripper sour water`, kind: 'material', medium: 'sourWater', from: stripper, to: null,
      nominal: { massFlowKgPerS: lpSteam, temperatureK: degC(45), pressurePa: barg(3), densityKgPerM3: 990 } });
    return { productFlow: effluent + lpSteam - offgas - acid - lpSteam, product, productTank };
  };
  const nht = hydrotreater('nht', 'R-2001', 'C-2001', products.naphtha, h2Nht, 'naphtha', 'TK-5102', 0.9);
  const dht = hydrotreater('dht', 'R-2002', 'C-2002', products.diesel, h2Dht, 'diesel', 'TK-5104', 1.4);
  p.stream({ id: 'nht-product', name: 'Hydrotreated naphtha', kind: 'material', medium: 'naphtha', from: 'C-2001', to: 'TK-5102',
    nominal: { massFlowKgPerS: nht.productFlow, temperatureK: degC(40), pressurePa: barg(5), densityKgPerM3: 720 } });
  p.stream({ id: 'dht-product', name: 'Ultra-low-sulphur diesel', kind: 'material', medium: 'diesel', from: 'C-2002', to: 'TK-5104',
    nominal: { massFlowKgPerS: dht.productFlow, temperatureK: degC(45), pressurePa: barg(5), densityKgPerM3: 840 } });

  // ---- tank-farm shipments (out = in − accumulation)
  const ship = (id: string, name: string, medium: string, t: (typeof tanks)['crude'], into: number, temperatureK: number) =>
    p.stream({ id, name, kind: 'material', medium, from: t.id, to: null,
      nominal: { massFlowKgPerS: into - accumulation(t), temperatureK, pressurePa: barg(4), densityKgPerM3: t.rho } });
  ship('naphtha-export', 'Naphtha to petrochemicals', 'naphtha', tanks.naphtha, p.get('nht-product').nominal.massFlowKgPerS!, degC(30));
  ship('kerosene-export', 'Jet fuel to pipeline', 'kerosene', tanks.kero, p.get('cdu-kerosene').nominal.massFlowKgPerS!, degC(45));
  ship('diesel-export', 'Diesel to truck loading', 'diesel', tanks.diesel, p.get('dht-product').nominal.massFlowKgPerS!, degC(35));
  ship('residue-export', 'Residue to fuel-oil blending', 'residue', tanks.residue, residue, degC(120));

  // ---- steam system: fixed consumers, then letdowns, deaerator, boilers (iterated for the desuperheating water)
  const hBfwDa = hWater(degC(105));
  const bfwPumpPower = 380_000;
  const mpExport = 14.0; // MP steam to the aromatics plant across the fence
  const lpExport = 9.0; // LP steam tracing and tank heating
  const turbineSteam = 12.0;
  const condensateReturn = 18.0;
  const hCondensate = hWater(degC(90));
  const hDemin = hWater(degC(20));
  const hLp = H_LP;
  let bfwTotal = 60;
  let solved = { lpToDa: 0, ld2In: 0, ld2Water: 0, ld1In: 0, ld1Water: 0, steam: 0, blowdown: 0, demin: 0 };
  for (let i = 0; i < 50; i++) {
    const hBfw = hBfwDa + bfwPumpPower / bfwTotal;
    const lpToDa = (bfwTotal * (hBfwDa - hDemin) - condensateReturn * (hCondensate - hDemin)) / (hLp - hDemin);
    const lpDemand = lpToDa + lpExport + 0.9 + 1.4; // + stripping steam of NHT and DHT
    const ld2In = (lpDemand * (hLp - hBfw)) / (H_MP - hBfw);
    const ld2Water = lpDemand - ld2In;
    const mpDemand = stripSteam + mpExport + ld2In;
    const ld1Out = mpDemand - turbineSteam;
    const ld1In = (ld1Out * (H_MP - hBfw)) / (H_HP - hBfw);
    const ld1Water = ld1Out - ld1In;
    const steam = turbineSteam + ld1In;
    const blowdown = 0.02 * steam;
    bfwTotal = steam + blowdown + ld1Water + ld2Water;
    solved = { lpToDa, ld2In, ld2Water, ld1In, ld1Water, steam, blowdown, demin: bfwTotal - condensateReturn - lpToDa };
  }
  const hBfw = hBfwDa + bfwPumpPower / bfwTotal;
  const pBfw = barg(55);
  const steamNominal = (m: number, h: number, t: number, pa: number) => ({ massFlowKgPerS: m, specificEnthalpyJPerKg: h, temperatureK: t, pressurePa: pa });
  const tHp = degC(400);
  const tMp = degC(280);
  const tLp = degC(160);
  const tBfw = degC(105);
  p.stream({ id: 'condensate-return', name: 'Condensate return', kind: 'energy', medium: 'condensate', from: null, to: 'D-4001', nominal: { ...steamNominal(condensateReturn, hCondensate, degC(90), barg(3)), densityKgPerM3: 965 } });
  p.stream({ id: 'demin-water', name: 'Demineralised water make-up', kind: 'energy', medium: 'water', from: null, to: 'D-4001', nominal: { ...steamNominal(solved.demin, hDemin, degC(20), barg(4)), densityKgPerM3: 998 } });
  p.stream({ id: 'lp-to-deaerator', name: 'LP steam to deaerator', kind: 'energy', medium: 'steam', from: 'HDR-4003', to: 'D-4001', nominal: steamNominal(solved.lpToDa, hLp, tLp, bara(3.5)) });
  // deaerator outlet flow closes its energy balance with the rounded inlet flows
  const daIn = p.massNet('D-4001');
  p.stream({ id: 'bfw-deaerated', name: 'Deaerated feed water', kind: 'energy', medium: 'water', from: 'D-4001', to: 'P-4001', nominal: { ...steamNominal(daIn, p.energyNet('D-4001') / daIn, tBfw, bara(1.2)), densityKgPerM3: 955 } });
  p.stream({ id: 'el-p4001', name: 'Feed-water pump motor', kind: 'energy', medium: 'electricity', from: 'EB-4001', to: 'P-4001', nominal: { powerW: bfwPumpPower } });
  const hBfwOut = (p.energyNet('P-4001')) / daIn;
  const boilerFeed = (solved.steam + solved.blowdown) / 2;
  p.stream({ id: 'bfw-b4001', name: 'Feed water to boiler 1', kind: 'energy', medium: 'water', from: 'P-4001', to: 'B-4001', nominal: { ...steamNominal(boilerFeed, hBfwOut, tBfw, pBfw), densityKgPerM3: 955 } });
  p.stream({ id: 'bfw-b4002', name: 'Feed water to boiler 2', kind: 'energy', medium: 'water', from: 'P-4001', to: 'B-4002', nominal: { ...steamNominal(boilerFeed, hBfwOut, tBfw, pBfw), densityKgPerM3: 955 } });
  p.stream({ id: 'bfw-pv4001', name: 'Desuperheating water HP/MP', kind: 'energy', medium: 'water', from: 'P-4001', to: 'PV-4001', nominal: steamNominal(solved.ld1Water, hBfwOut, tBfw, pBfw) });
  p.stream({ id: 'bfw-pv4002', name: 'Desuperheating water MP/LP', kind: 'energy', medium: 'water', from: 'P-4001', to: 'PV-4002', nominal: steamNominal(p.massNet('P-4001'), hBfwOut, tBfw, pBfw) });
  void hBfw;

  // boilers: fuel from the energy balance, 15 % excess air, flue gas at 160 °C, 1.2 % casing loss
  const fuelGasSupply: { id: string; to: string; m: number }[] = [];
  const boiler = (id: string, n: 1 | 2) => {
    const feed = p.get(`bfw-b400${n}`).nominal.massFlowKgPerS!;
    const steam = feed / 1.02;
    p.stream({ id: `hp-b400${n}`, name: `HP steam from boiler ${n}`, kind: 'energy', medium: 'steam', from: id, to: 'HDR-4001', nominal: steamNominal(steam, H_HP, tHp, bara(40)) });
    p.stream({ id: `blowdown-b400${n}`, name: `Boiler ${n} blowdown`, kind: 'energy', medium: 'water', from: id, to: null, nominal: steamNominal(p.massNet(id), H_BLOWDOWN, degC(250), bara(40)) });
    fuelGasSupply.push({ id: `fg-b400${n}`, to: id, m: 0 });
  };
  boiler('B-4001', 1);
  boiler('B-4002', 2);

  // headers and letdowns
  p.stream({ id: 'hp-st4001', name: 'HP steam to turbo-generator', kind: 'energy', medium: 'steam', from: 'HDR-4001', to: 'ST-4001', nominal: steamNominal(turbineSteam, H_HP, tHp, bara(39.5)) });
  p.stream({ id: 'hp-pv4001', name: 'HP steam to HP/MP letdown', kind: 'energy', medium: 'steam', from: 'HDR-4001', to: 'PV-4001', nominal: steamNominal(p.massNet('HDR-4001'), H_HP, tHp, bara(39.5)) });
  p.stream({ id: 'mp-pv4001', name: 'Letdown steam to MP header', kind: 'energy', medium: 'steam', from: 'PV-4001', to: 'HDR-4002', nominal: steamNominal(p.massNet('PV-4001'), p.energyNet('PV-4001') / p.massNet('PV-4001'), tMp, bara(10)) });
  const turbineShaft = turbineSteam * (H_HP - H_MP);
  p.stream({ id: 'mp-st4001', name: 'Turbine exhaust to MP header', kind: 'energy', medium: 'steam', from: 'ST-4001', to: 'HDR-4002', nominal: steamNominal(turbineSteam, H_MP, tMp, bara(10.2)) });
  p.stream({ id: 'el-st4001', name: 'Turbo-generator output', kind: 'energy', medium: 'electricity', from: 'ST-4001', to: 'EB-4001', nominal: { powerW: 0.975 * turbineShaft } });
  p.stream({ id: 'loss-st4001', name: 'Turbo-generator mechanical and electrical losses', kind: 'energy', medium: 'heat', from: 'ST-4001', to: null, nominal: { powerW: p.energyNet('ST-4001') } });
  const mpH = p.mix('HDR-4002', 1).h;
  p.stream({ id: 'mp-strip-c1001', name: 'Stripping steam to atmospheric column', kind: 'energy', medium: 'steam', from: 'HDR-4002', to: 'C-1001', nominal: steamNominal(stripSteam, mpH, tMp, bara(9.5)) });
  p.stream({ id: 'mp-export', name: 'MP steam export to aromatics plant', kind: 'energy', medium: 'steam', from: 'HDR-4002', to: null, nominal: steamNominal(mpExport, mpH, tMp, bara(9.5)) });
  p.stream({ id: 'mp-pv4002', name: 'MP steam to MP/LP letdown', kind: 'energy', medium: 'steam', from: 'HDR-4002', to: 'PV-4002', nominal: steamNominal(p.massNet('HDR-4002'), mpH, tMp, bara(9.5)) });
  const ldLp = p.massNet('PV-4002');
  p.stream({ id: 'lp-pv4002', name: 'Letdown steam to LP header', kind: 'energy', medium: 'steam', from: 'PV-4002', to: 'HDR-4003', nominal: steamNominal(ldLp, p.energyNet('PV-4002') / ldLp, tLp, bara(3.6)) });
  const lpH = p.get('lp-pv4002').nominal.specificEnthalpyJPerKg!;
  p.get('lp-to-deaerator').nominal.specificEnthalpyJPerKg = lpH;
  p.stream({ id: 'lp-strip-c2001', name: 'LP stripping steam to naphtha stripper', kind: 'energy', medium: 'steam', from: 'HDR-4003', to: 'C-2001', nominal: steamNominal(0.9, lpH, tLp, bara(3.4)) });
  p.stream({ id: 'lp-strip-c2002', name: 'LP stripping steam to diesel stripper', kind: 'energy', medium: 'steam', from: 'HDR-4003', to: 'C-2002', nominal: steamNominal(1.4, lpH, tLp, bara(3.4)) });
  p.stream({ id: 'lp-export', name: 'LP steam to tracing and tank heating', kind: 'energy', medium: 'steam', from: 'HDR-4003', to: null, nominal: steamNominal(p.massNet('HDR-4003'), lpH, tLp, bara(3.4)) });

  // ---- fuel gas: consumers are the crude heater and the boilers; natural gas makes up the balance
  const ngComposition = massFractions({ CH4: 92, C2H6: 5, C3H8: 1, N2: 1, CO2: 1 });
  // crude heater: absorbed duty from the transfer line, flue gas 170 °C, 1.5 % casing loss
  const dutyHeater = crude * (hTransfer - hCrude2);
  const dutyBoilers = ['B-4001', 'B-4002'].map((id) => -p.energyNet(id));
  // mixed fuel gas enthalpy depends on the natural gas share: iterate
  let ngFlow = 2;
  let mixed = { composition: ngComposition, h: 0, temperatureK: degC(40), lhv: 0, normalDensity: 0 };
  const fired = (duty: number, composition: Record<string, number>, h: number, tFlue: number, loss: number) => {
    const airRatio = stoichiometricAir(composition) * 1.15;
    return duty / (h * (1 - loss) - (1 + airRatio) * hSensible(tFlue, FLUE_CP));
  };
  const refineryGas = ['cdu-offgas', 'nht-offgas', 'dht-offgas'].map((id) => p.get(id).nominal);
  for (let i = 0; i < 60; i++) {
    const parts = [...refineryGas.map((n) => ({ m: n.massFlowKgPerS!, h: n.specificEnthalpyJPerKg!, c: n.composition! })), { m: ngFlow, h: hFuel(ngComposition, degC(25), CP_FG), c: ngComposition }];
    const total = parts.reduce((s, x) => s + x.m, 0);
    const composition: Record<string, number> = {};
    for (const part of parts) for (const [k, w] of Object.entries(part.c)) composition[k] = (composition[k] ?? 0) + (w * part.m) / total;
    const h = parts.reduce((s, x) => s + x.m * x.h, 0) / total;
    const demand = fired(dutyHeater, composition, h, degC(170), 0.015) + dutyBoilers.reduce((s, d) => s + fired(d, composition, h, degC(160), 0.012), 0);
    ngFlow = demand - total + ngFlow;
    mixed = { composition: normalise(composition), h, temperatureK: 0, lhv: 0, normalDensity: 0 };
  }
  p.stream({ id: 'natural-gas-import', name: 'Natural gas make-up', kind: 'material', medium: 'naturalGas', from: null, to: 'D-3001',
    nominal: { massFlowKgPerS: ngFlow, temperatureK: degC(25), pressurePa: barg(6), specificEnthalpyJPerKg: hFuel(ngComposition, degC(25), CP_FG), composition: ngComposition, normalDensityKgPerNm3: gasNormalDensity(ngComposition) } });
  const mix = p.mix('D-3001', CP_FG);
  const fuel = (id: string, name: string, to: string, m: number) =>
    p.stream({ id, name, kind: 'material', medium: 'fuelGas', from: 'D-3001', to,
      nominal: { massFlowKgPerS: m, temperatureK: mix.temperatureK, pressurePa: barg(3.5), specificEnthalpyJPerKg: mix.h, composition: mix.composition, normalDensityKgPerNm3: mix.normalDensity } });
  fuel('fg-h1001', 'Fuel gas to crude heater', 'H-1001', fired(dutyHeater, mix.composition, mix.h, degC(170), 0.015));
  fuel(fuelGasSupply[0].id, 'Fuel gas to boiler 1', 'B-4001', fired(dutyBoilers[0], mix.composition, mix.h, degC(160), 0.012));
  fuel(fuelGasSupply[1].id, 'Fuel gas to boiler 2', 'B-4002', p.massNet('D-3001'));
  void mixed;

  const combustion = (unit: string, label: string, fuelStream: string, tFlue: number) => {
    const fuelMass = p.get(fuelStream).nominal.massFlowKgPerS!;
    const air = fuelMass * stoichiometricAir(mix.composition) * 1.15;
    p.stream({ id: `air-${unit.toLowerCase()}`, name: `Combustion air to ${label}`, kind: 'material', medium: 'air', from: null, to: unit,
      nominal: { massFlowKgPerS: air, temperatureK: T0, pressurePa: ATM_PLUS(0.02), specificEnthalpyJPerKg: 0, composition: AIR, normalDensityKgPerNm3: gasNormalDensity(AIR) } });
    p.stream({ id: `flue-${unit.toLowerCase()}`, name: `Flue gas from ${label}`, kind: 'material', medium: 'flueGas', from: unit, to: null,
      nominal: { massFlowKgPerS: fuelMass + air, temperatureK: tFlue, pressurePa: ATM_PLUS(-0.005), specificEnthalpyJPerKg: hSensible(tFlue, FLUE_CP) } });
    const loss = p.energyNet(unit);
    if (loss < 0) throw new Error(`${unit} energy balance needs negative loss ${loss}`);
    p.stream({ id: `loss-${unit.toLowerCase()}`, name: `${label} casing and radiation loss`, kind: 'energy', medium: 'heat', from: unit, to: null, nominal: { powerW: loss } });
  };
  combustion('H-1001', 'crude heater', 'fg-h1001', degC(170));
  combustion('B-4001', 'boiler 1', 'fg-b4001', degC(160));
  combustion('B-4002', 'boiler 2', 'fg-b4002', degC(160));

  // column overhead cooling water closes the column energy balance
  const hCwIn = hWater(degC(25));
  const hCwOut = hWater(degC(35));
  const cw = p.energyNet('C-1001') / (hCwOut - hCwIn);
  p.stream({ id: 'cw-c1001-supply', name: 'Cooling water to column condenser', kind: 'energy', medium: 'coolingWater', from: null, to: 'C-1001', nominal: { massFlowKgPerS: cw, specificEnthalpyJPerKg: hCwIn, temperatureK: degC(25), pressurePa: barg(4), densityKgPerM3: 997 } });
  p.stream({ id: 'cw-c1001-return', name: 'Cooling water return from column condenser', kind: 'energy', medium: 'coolingWater', from: 'C-1001', to: null, nominal: { massFlowKgPerS: cw, specificEnthalpyJPerKg: hCwOut, temperatureK: degC(35), pressurePa: barg(2.5), densityKgPerM3: 994 } });
  // rounding of the cooling-water flow: put the last watts into the column's heat loss
  p.get('cdu-heat-loss').nominal.powerW = Math.round(p.get('cdu-heat-loss').nominal.powerW! + p.energyNet('C-1001'));

  // ---- electricity: grid import closes the busbar
  p.stream({ id: 'el-other-loads', name: 'Other site loads (cooling towers, buildings, air coolers)', kind: 'energy', medium: 'electricity', from: 'EB-4001', to: null, nominal: { powerW: 6_400_000 } });
  p.stream({ id: 'el-grid-import', name: 'Grid import at 150 kV', kind: 'energy', medium: 'electricity', from: null, to: 'EB-4001', nominal: { powerW: -p.energyNet('EB-4001') } });

  // ---- instruments
  const m = (area: { id: string }, stream: string, ...specs: string[]) => p.measure(area.id, stream, ...specs);
  m(tank, 'crude-import', 'Fv', 'T', 'P');
  m(tank, 'naphtha-export', 'Fv', 'T');
  m(tank, 'kerosene-export', 'Fv', 'T');
  m(tank, 'diesel-export', 'Fv', 'T');
  m(tank, 'residue-export', 'Fv', 'T');
  for (const t of Object.values(tanks)) p.level(tank.id, t.id, t.h, t === tanks.crude || t === tanks.diesel);
  m(cdu, 'crude-tank-out', 'F', 'T', 'P');
  m(cdu, 'el-p1001', 'Jk');
  m(cdu, 'crude-charge', 'Fc', 'T', 'P');
  m(cdu, 'crude-preheat-1', 'T', 'P');
  m(cdu, 'crude-preheat-2', 'F', 'T', 'P');
  m(cdu, 'crude-transfer', 'T', 'P');
  m(cdu, 'cdu-offgas', 'Fn', 'T', 'P');
  m(cdu, 'cdu-naphtha', 'F', 'T', 'P');
  m(cdu, 'cdu-kerosene', 'F', 'T', 'P');
  m(cdu, 'cdu-diesel', 'F', 'T', 'P');
  m(cdu, 'cdu-residue', 'F', 'T', 'P');
  m(cdu, 'residue-cooled', 'T');
  m(cdu, 'diesel-cooled', 'T');
  m(cdu, 'cdu-sour-water', 'F');
  m(cdu, 'fg-h1001', 'Fn', 'P');
  m(cdu, 'air-h-1001', 'Fn');
  m(cdu, 'flue-h-1001', 'T');
  m(cdu, 'cw-c1001-supply', 'Fv', 'T');
  m(cdu, 'cw-c1001-return', 'T');
  m(cdu, 'mp-strip-c1001', 'F', 'T', 'P');
  m(ht, 'h2-import', 'Fn', 'P', 'A:H2');
  m(ht, 'el-k2001', 'Jk');
  m(ht, 'h2-nht', 'Fn', 'T', 'P');
  m(ht, 'h2-dht', 'Fn', 'T', 'P');
  for (const tag of ['nht', 'dht']) {
    m(ht, `${tag}-effluent`, 'T', 'P');
    m(ht, `${tag}-offgas`, 'Fn', 'P');
    m(ht, `${tag}-acid-gas`, 'Fn', 'A:H2S');
    m(ht, `${tag}-sour-water`, 'Fk');
  }
  m(ht, 'nht-product', 'F', 'T', 'P');
  m(ht, 'dht-product', 'F', 'T', 'P');
  m(ht, 'lp-strip-c2001', 'F', 'P');
  m(ht, 'lp-strip-c2002', 'F', 'P');
  m(fg, 'natural-gas-import', 'Fn', 'T', 'P', 'A:CH4');
  m(fg, 'fg-b4001', 'Fn', 'P', 'A:H2', 'A:CH4', 'A:C2H6');
  m(fg, 'fg-b4002', 'Fn', 'P');
  m(fg, 'fg-h1001', 'T');
  m(ut, 'condensate-return', 'F', 'T');
  m(ut, 'demin-water', 'F', 'T');
  m(ut, 'lp-to-deaerator', 'F', 'P');
  m(ut, 'bfw-deaerated', 'T', 'P');
  m(ut, 'el-p4001', 'Jk');
  m(ut, 'bfw-b4001', 'F', 'T', 'P');
  m(ut, 'bfw-b4002', 'F', 'T', 'P');
  m(ut, 'bfw-pv4001', 'Fk');
  m(ut, 'bfw-pv4002', 'Fk');
  for (const n of [1, 2]) {
    m(ut, `hp-b400${n}`, 'F', 'T', 'P');
    m(ut, `blowdown-b400${n}`, 'Fk');
    m(ut, `air-b-400${n}`, 'Fn');
    m(ut, `flue-b-400${n}`, 'T');
  }
  m(ut, 'hp-st4001', 'F', 'T', 'P');
  m(ut, 'hp-pv4001', 'F');
  m(ut, 'mp-pv4001', 'F', 'T', 'P');
  m(ut, 'mp-st4001', 'T', 'P');
  m(ut, 'el-st4001', 'J');
  m(ut, 'mp-export', 'F', 'T', 'P');
  m(ut, 'mp-pv4002', 'F');
  m(ut, 'lp-pv4002', 'F', 'T', 'P');
  m(ut, 'lp-export', 'F', 'T', 'P');
  m(ut, 'el-other-loads', 'J');
  m(ut, 'el-grid-import', 'J');
  // redundant and secondary instruments (the reconciliation has something to work with)
  m(tank, 'crude-import', 'Fc');
  for (const id of ['naphtha-export', 'kerosene-export', 'diesel-export', 'residue-export']) m(tank, id, 'P');
  m(cdu, 'crude-preheat-1', 'F');
  m(cdu, 'crude-transfer', 'T');
  m(cdu, 'residue-cooled', 'F', 'P');
  m(cdu, 'diesel-cooled', 'F', 'P');
  m(cdu, 'cdu-sour-water', 'T');
  m(cdu, 'cw-c1001-return', 'P');
  m(cdu, 'air-h-1001', 'T');
  m(ht, 'h2-import', 'T');
  for (const tag of ['nht', 'dht']) {
    m(ht, `${tag}-effluent`, 'T');
    m(ht, `${tag}-offgas`, 'T', 'A:H2');
    m(ht, `${tag}-acid-gas`, 'T');
  }
  m(ht, 'lp-strip-c2001', 'T');
  m(ht, 'lp-strip-c2002', 'T');
  m(fg, 'cdu-offgas', 'A:H2');
  m(fg, 'natural-gas-import', 'A:C2H6');
  m(fg, 'fg-b4002', 'T');
  m(fg, 'fg-h1001', 'A:H2');
  m(ut, 'hp-pv4001', 'T', 'P');
  m(ut, 'mp-pv4002', 'T', 'P');
  m(ut, 'lp-to-deaerator', 'T');
  m(ut, 'bfw-deaerated', 'F');
  m(ut, 'condensate-return', 'P');
  m(ut, 'demin-water', 'P');
  m(ut, 'blowdown-b4001', 'T');
  m(ut, 'blowdown-b4002', 'T');
  return p.build();
};

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const ATM_PLUS = (bar: number) => Math.round(101_325 + bar * 1e5);
