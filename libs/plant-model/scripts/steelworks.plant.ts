/**
 * Demo plant 2: an integrated steelworks section of ≈ 3 Mt/a hot metal. Coke ovens, turbo-blower,
 * hot-blast stoves, blast furnace and top-gas cleaning; BOF converter, ladle furnace and slab caster;
 * by-product gas holders (BFG, BOFG, COG), mixing station and flare; a gas-fired power plant
 * (two boilers, extraction-condensing turbo-generator, condenser, deaerator, feed pump) and the busbar.
 */
import { AIR, FLUE_CP, PlantBuilder, T0, bara, barg, degC, gasNormalDensity, hFuel, hSensible, hWater, massFractions, stoichiometricAir } from './demo-plant.builder';

const CP_GAS = 1050;
const CP_AIR = 1005;
const CP_BLAST = 1150; // mean heat capacity of air between 15 °C and 1200 °C
const H_HP = 3_386_100; // 90 bar(a), 500 °C
const H_EXTRACTION = 2_865_000; // 3 bar(a), 200 °C
const H_EXHAUST = 2_384_600; // 0.08 bar(a), x = 0.92
const H_CONDENSATE = 173_800; // saturated at 0.08 bar(a)
const H_BLOWDOWN = 1_363_700; // saturated liquid at 90 bar(a)
const PUMP_DH = 13_158; // feed pump: 100 bar rise / 950 kg/m³ / 0.8
const holderPressure = (mbar: number) => Math.round(101_325 + mbar * 100);

export const buildSteelworks = () => {
  const p = new PlantBuilder(
    'demo-steelworks',
    'Demo integrated steelworks',
    'Ironmaking, steelmaking, by-product gas network and power plant. Nominal values close the mass balances of all units and the energy balances of the gas, steam and power system.',
    { id: 'steelworks', name: 'Integrated steelworks' },
  );
  const iron = p.area('ironmaking', 'Ironmaking', 60);
  const steel = p.area('steelmaking', 'Steelmaking', 70);
  const gas = p.area('gas-network', 'By-product gas network', 80);
  const power = p.area('power-plant', 'Power plant and electricity', 90);

  iron.add({ id: 'CO-6001', name: 'Coke oven battery', type: 'cokeOven' });
  iron.add({ id: 'BL-6001', name: 'Turbo-blower', type: 'blower' });
  iron.add({ id: 'ST-6001', name: 'Hot-blast stoves', type: 'stove' });
  iron.add({ id: 'BF-6001', name: 'Blast furnace', type: 'blastFurnace' });
  iron.add({ id: 'GC-6001', name: 'Top-gas cleaning (dust catcher and scrubber)', type: 'separator' });
  steel.add({ id: 'CV-7001', name: 'BOF converter', type: 'converter' });
  steel.add({ id: 'LF-7001', name: 'Ladle furnace', type: 'ladleFurnace' });
  steel.add({ id: 'CC-7001', name: 'Slab caster', type: 'caster' });
  const holders = {
    bfg: { id: 'GH-8001', name: 'BFG holder', d: 60, h: 40, rho: 1.4, level: 22, rate: 0 },
    bofg: { id: 'GH-8002', name: 'BOFG holder', d: 38, h: 30, rho: 1.33, level: 14.5, rate: 4.0e-4 },
    cog: { id: 'GH-8003', name: 'COG holder', d: 45, h: 35, rho: 0.47, level: 19, rate: 0 },
  };
  for (const h of Object.values(holders))
    gas.add({ id: h.id, name: h.name, type: 'gasHolder',
      inventory: { areaM2: Math.round((Math.PI * h.d * h.d) / 4), densityKgPerM3: h.rho, heightM: h.h, nominalLevelM: h.level, nominalLevelRateMPerS: h.rate } });
  gas.add({ id: 'MX-8001', name: 'Gas mixing station', type: 'mixer' });
  gas.add({ id: 'FL-8001', name: 'BFG flare', type: 'flare' });
  power.add({ id: 'PB-9001', name: 'Power-plant boiler 1', type: 'boiler' });
  power.add({ id: 'PB-9002', name: 'Power-plant boiler 2', type: 'boiler' });
  power.add({ id: 'TG-9001', name: 'Extraction-condensing turbo-generator', type: 'turbine' });
  power.add({ id: 'CD-9001', name: 'Surface condenser', type: 'heatExchanger' });
  power.add({ id: 'DA-9001', name: 'Deaerator', type: 'deaerator' });
  power.add({ id: 'P-9001', name: 'Boiler feed pump', type: 'pump' });
  power.add({ id: 'EB-9001', name: '110 kV busbar', type: 'busbar' });

  const solid = (id: string, name: string, medium: string, from: string | null, to: string | null, m: number, tC = 25) =>
    p.stream({ id, name, kind: 'material', medium, from, to, nominal: { massFlowKgPerS: m, temperatureK: degC(tC) } });
  const el = (id: string, name: string, from: string | null, to: string | null, w: number) =>
    p.stream({ id, name, kind: 'energy', medium: 'electricity', from, to, nominal: { powerW: w } });
  const heatLoss = (unit: string, name: string) => p.stream({ id: `loss-${unit.toLowerCase()}`, name, kind: 'energy', medium: 'heat', from: unit, to: null, nominal: { powerW: p.energyNet(unit) } });

  const bfg = massFractions({ CO: 22, CO2: 22, H2: 4, N2: 52 });
  const bofg = massFractions({ CO: 60, CO2: 16, H2: 2, N2: 22 });
  const cog = massFractions({ H2: 58, CH4: 26, CO: 7, C2H6: 3, CO2: 2, N2: 4 });
  const O2 = massFractions({ O2: 99.5, Ar: 0.5 });
  const fuelGas = (id: string, name: string, medium: string, from: string | null, to: string | null, m: number, composition: Record<string, number>, tC: number, mbar: number) =>
    p.stream({ id, name, kind: 'material', medium, from, to,
      nominal: { massFlowKgPerS: m, temperatureK: degC(tC), pressurePa: holderPressure(mbar), specificEnthalpyJPerKg: hFuel(composition, degC(tC), CP_GAS), composition, normalDensityKgPerNm3: gasNormalDensity(composition) } });

  // ---- coke ovens (underfiring added with the gas network)
  solid('coal-charge', 'Coal blend to coke ovens', 'coal', null, 'CO-6001', 45.5);
  solid('coke-to-bf', 'Coke to blast furnace', 'coke', 'CO-6001', 'BF-6001', 34.0, 40);
  fuelGas('cog-raw', 'Coke-oven gas (after by-product plant)', 'COG', 'CO-6001', 'GH-8003', 6.6, cog, 30, 55);
  solid('coke-byproducts', 'Tar, benzole and sulphur', 'byproducts', 'CO-6001', null, 2.1);
  el('el-co6001', 'Coke-oven auxiliaries', 'EB-9001', 'CO-6001', 3_200_000);

  // ---- blower and stoves
  const blast = 138.0;
  const tCold = degC(150);
  const hCold = hSensible(tCold, CP_AIR);
  p.stream({ id: 'air-bl6001', name: 'Atmospheric air to turbo-blower', kind: 'material', medium: 'air', from: null, to: 'BL-6001',
    nominal: { massFlowKgPerS: blast, temperatureK: T0, pressurePa: 101_325, specificEnthalpyJPerKg: 0, composition: AIR, normalDensityKgPerNm3: gasNormalDensity(AIR) } });
  el('el-bl6001', 'Turbo-blower motor', 'EB-9001', 'BL-6001', (blast * hCold) / 0.96);
  p.stream({ id: 'cold-blast', name: 'Cold blast', kind: 'material', medium: 'air', from: 'BL-6001', to: 'ST-6001',
    nominal: { massFlowKgPerS: blast, temperatureK: tCold, pressurePa: barg(4.2), specificEnthalpyJPerKg: hCold, composition: AIR, normalDensityKgPerNm3: gasNormalDensity(AIR) } });
  heatLoss('BL-6001', 'Turbo-blower motor and cooler losses');
  const tHot = degC(1200);
  p.stream({ id: 'hot-blast', name: 'Hot blast', kind: 'material', medium: 'air', from: 'ST-6001', to: 'BF-6001',
    nominal: { massFlowKgPerS: blast, temperatureK: tHot, pressurePa: barg(3.9), specificEnthalpyJPerKg: hSensible(tHot, CP_BLAST), composition: AIR, normalDensityKgPerNm3: gasNormalDensity(AIR) } });

  // ---- blast furnace: top gas by difference
  const hotMetal = 97.2;
  solid('bf-burden', 'Sinter and pellets', 'ironOre', null, 'BF-6001', 155.5);
  solid('bf-pci', 'Pulverised coal injection', 'coal', null, 'BF-6001', 14.6);
  p.stream({ id: 'bf-oxygen', name: 'Oxygen enrichment', kind: 'material', medium: 'oxygen', from: null, to: 'BF-6001',
    nominal: { massFlowKgPerS: 4.5, temperatureK: degC(25), pressurePa: barg(6), composition: O2, normalDensityKgPerNm3: gasNormalDensity(O2) } });
  solid('hot-metal', 'Hot metal to BOF', 'hotMetal', 'BF-6001', 'CV-7001', hotMetal, 1480);
  solid('bf-slag', 'Blast-furnace slag to granulation', 'slag', 'BF-6001', null, 27.2, 1500);
  p.stream({ id: 'bfg-raw', name: 'Raw top gas', kind: 'material', medium: 'BFG', from: 'BF-6001', to: 'GC-6001',
    nominal: { massFlowKgPerS: p.massNet('BF-6001'), temperatureK: degC(130), pressurePa: barg(2.3) } });
  solid('bf-dust', 'Top-gas dust and sludge', 'dust', 'GC-6001', null, 1.6);
  fuelGas('bfg-clean', 'Clean BFG to holder', 'BFG', 'GC-6001', 'GH-8001', p.massNet('GC-6001'), bfg, 45, 80);

  // ---- steelmaking
  solid('bof-scrap', 'Scrap to BOF', 'scrap', null, 'CV-7001', 21.0);
  p.stream({ id: 'bof-oxygen', name: 'Converter oxygen', kind: 'material', medium: 'oxygen', from: null, to: 'CV-7001',
    nominal: { massFlowKgPerS: 8.6, temperatureK: degC(25), pressurePa: barg(14), composition: O2, normalDensityKgPerNm3: gasNormalDensity(O2) } });
  solid('bof-lime', 'Lime and fluxes', 'lime', null, 'CV-7001', 5.4);
  solid('crude-steel', 'Crude steel to ladle furnace', 'steel', 'CV-7001', 'LF-7001', 108.0, 1640);
  solid('bof-slag', 'BOF slag', 'slag', 'CV-7001', null, 11.8, 1600);
  solid('bof-dust', 'BOF dust and sludge', 'dust', 'CV-7001', null, 1.4);
  fuelGas('bofg-recovered', 'Recovered BOF gas', 'BOFG', 'CV-7001', 'GH-8002', p.massNet('CV-7001'), bofg, 60, 40);
  solid('lf-alloys', 'Alloys and wire', 'alloys', null, 'LF-7001', 1.3);
  el('el-lf7001', 'Ladle-furnace transformer', 'EB-9001', 'LF-7001', 9_500_000);
  solid('refined-steel', 'Refined steel to caster', 'steel', 'LF-7001', 'CC-7001', 108.5, 1580);
  solid('lf-slag', 'Ladle-furnace slag', 'slag', 'LF-7001', null, p.massNet('LF-7001'), 1550);
  el('el-cc7001', 'Caster drives and auxiliaries', 'EB-9001', 'CC-7001', 2_200_000);
  p.stream({ id: 'cw-cc7001-supply', name: 'Mould and spray cooling water', kind: 'energy', medium: 'coolingWater', from: null, to: 'CC-7001',
    nominal: { massFlowKgPerS: 350, temperatureK: degC(30), pressurePa: barg(8), specificEnthalpyJPerKg: hWater(degC(30)), densityKgPerM3: 996 } });
  p.stream({ id: 'cw-cc7001-return', name: 'Caster cooling-water return', kind: 'energy', medium: 'coolingWater', from: 'CC-7001', to: null,
    nominal: { massFlowKgPerS: 350, temperatureK: degC(42), pressurePa: barg(2), specificEnthalpyJPerKg: hWater(degC(42)), densityKgPerM3: 991 } });
  solid('cc-scale', 'Mill scale', 'scale', 'CC-7001', null, 0.9);
  solid('cc-crop', 'Crop ends and scrap return', 'scrap', 'CC-7001', null, 1.6);
  solid('slabs', 'Slabs to hot-strip mill', 'slab', 'CC-7001', null, p.massNet('CC-7001'), 900);

  // ---- holders, flare, mixing station
  const accumulation = (h: (typeof holders)['bfg']) => Math.round((Math.PI * h.d * h.d) / 4) * h.rho * h.rate;
  const bfgIn = p.get('bfg-clean').nominal.massFlowKgPerS!;
  fuelGas('bfg-flare', 'Excess BFG to flare', 'BFG', 'GH-8001', 'FL-8001', 0.015 * bfgIn, bfg, 45, 70);
  fuelGas('bfg-mix', 'BFG to mixing station', 'BFG', 'GH-8001', 'MX-8001', p.massNet('GH-8001'), bfg, 45, 70);
  p.stream({ id: 'flare-flue', name: 'Flare combustion products', kind: 'material', medium: 'flueGas', from: 'FL-8001', to: null,
    nominal: { massFlowKgPerS: p.massNet('FL-8001'), temperatureK: degC(900) } });
  fuelGas('bofg-mix', 'BOFG to mixing station', 'BOFG', 'GH-8002', 'MX-8001', p.massNet('GH-8002') , bofg, 60, 35);
  void accumulation;
  fuelGas('cog-mix', 'COG to mixing station', 'COG', 'GH-8003', 'MX-8001', p.massNet('GH-8003'), cog, 30, 50);
  const mix = p.mix('MX-8001', CP_GAS);
  const airRatio = stoichiometricAir(mix.composition) * 1.1;
  const firedFuel = (duty: number, tFlue: number, loss: number) => duty / (mix.h * (1 - loss) - (1 + airRatio) * hSensible(tFlue, FLUE_CP));
  const mixed = (id: string, name: string, to: string, m: number) =>
    p.stream({ id, name, kind: 'material', medium: 'mixedGas', from: 'MX-8001', to,
      nominal: { massFlowKgPerS: m, temperatureK: mix.temperatureK, pressurePa: holderPressure(45), specificEnthalpyJPerKg: mix.h, composition: mix.composition, normalDensityKgPerNm3: mix.normalDensity } });
  const combustion = (unit: string, label: string, fuelStream: string, tFlue: number | null) => {
    const fuel = p.get(fuelStream).nominal.massFlowKgPerS!;
    const air = fuel * airRatio;
    p.stream({ id: `air-${unit.toLowerCase()}`, name: `Combustion air to ${label}`, kind: 'material', medium: 'air', from: null, to: unit,
      nominal: { massFlowKgPerS: air, temperatureK: T0, pressurePa: holderPressure(30), specificEnthalpyJPerKg: 0, composition: AIR, normalDensityKgPerNm3: gasNormalDensity(AIR) } });
    p.stream({ id: `flue-${unit.toLowerCase()}`, name: `Flue gas from ${label}`, kind: 'material', medium: 'flueGas', from: unit, to: null,
      nominal: tFlue === null
        ? { massFlowKgPerS: fuel + air, temperatureK: degC(280) }
        : { massFlowKgPerS: fuel + air, temperatureK: tFlue, pressurePa: holderPressure(-5), specificEnthalpyJPerKg: hSensible(tFlue, FLUE_CP) } });
  };
  const stoveDuty = blast * (p.get('hot-blast').nominal.specificEnthalpyJPerKg! - hCold);
  mixed('gas-st6001', 'Enriched gas to hot-blast stoves', 'ST-6001', firedFuel(stoveDuty, degC(250), 0.03));
  combustion('ST-6001', 'hot-blast stoves', 'gas-st6001', degC(250));
  heatLoss('ST-6001', 'Stove shell and valve losses');
  mixed('gas-co6001', 'Underfiring gas to coke ovens', 'CO-6001', 75e6 / mix.h);
  combustion('CO-6001', 'coke ovens', 'gas-co6001', null);
  solid('coke-water', 'Coal moisture and ammonia liquor', 'water', 'CO-6001', null, p.massNet('CO-6001'), 80);
  const toBoilers = p.massNet('MX-8001');
  mixed('gas-pb9001', 'Mixed gas to boiler 1', 'PB-9001', toBoilers / 2);
  mixed('gas-pb9002', 'Mixed gas to boiler 2', 'PB-9002', p.massNet('MX-8001'));

  // ---- power plant
  const hDa = hWater(degC(105));
  const hFeed = hDa + PUMP_DH;
  const tHp = degC(500);
  const pHp = bara(90);
  const w = (m: number, h: number, tK: number, pa: number) => ({ massFlowKgPerS: m, specificEnthalpyJPerKg: h, temperatureK: tK, pressurePa: pa });
  let feedTotal = 0;
  for (const [n, unit] of [[1, 'PB-9001'], [2, 'PB-9002']] as const) {
    const fuel = p.get(`gas-pb900${n}`).nominal.massFlowKgPerS!;
    const flue = fuel * (1 + airRatio) * hSensible(degC(150), FLUE_CP);
    const steamFlow = (fuel * mix.h * (1 - 0.012) - flue) / (H_HP - hFeed + 0.02 * (H_BLOWDOWN - hFeed));
    const feed = p.stream({ id: `bfw-pb900${n}`, name: `Feed water to boiler ${n}`, kind: 'energy', medium: 'water', from: 'P-9001', to: unit, nominal: { ...w(steamFlow * 1.02, hFeed, degC(107), bara(105)), densityKgPerM3: 955 } });
    feedTotal += feed.nominal.massFlowKgPerS!;
    p.stream({ id: `hp-pb900${n}`, name: `HP steam from boiler ${n}`, kind: 'energy', medium: 'steam', from: unit, to: 'TG-9001', nominal: w(steamFlow, H_HP, tHp, pHp) });
    p.stream({ id: `blowdown-pb900${n}`, name: `Boiler ${n} blowdown`, kind: 'energy', medium: 'water', from: unit, to: null, nominal: w(feed.nominal.massFlowKgPerS! - p.get(`hp-pb900${n}`).nominal.massFlowKgPerS!, H_BLOWDOWN, degC(303), pHp) });
    combustion(unit, `boiler ${n}`, `gas-pb900${n}`, degC(150));
    heatLoss(unit, `Boiler ${n} casing loss`);
  }
  p.stream({ id: 'bfw-deaerated', name: 'Deaerated feed water', kind: 'energy', medium: 'water', from: 'DA-9001', to: 'P-9001', nominal: { ...w(feedTotal, hDa, degC(105), bara(1.2)), densityKgPerM3: 955 } });
  el('el-p9001', 'Feed-pump motor', 'EB-9001', 'P-9001', feedTotal * PUMP_DH);
  const steamTotal = p.get('hp-pb9001').nominal.massFlowKgPerS! + p.get('hp-pb9002').nominal.massFlowKgPerS!;
  const makeup = feedTotal - steamTotal;
  const extraction = (feedTotal * hDa - steamTotal * H_CONDENSATE - makeup * hWater(degC(20))) / (H_EXTRACTION - H_CONDENSATE);
  p.stream({ id: 'tg-extraction', name: 'Extraction steam to deaerator', kind: 'energy', medium: 'steam', from: 'TG-9001', to: 'DA-9001', nominal: w(extraction, H_EXTRACTION, degC(200), bara(3)) });
  p.stream({ id: 'tg-exhaust', name: 'Turbine exhaust to condenser', kind: 'energy', medium: 'steam', from: 'TG-9001', to: 'CD-9001', nominal: w(p.massNet('TG-9001'), H_EXHAUST, degC(41.5), bara(0.08)) });
  el('el-tg9001', 'Generator output', 'TG-9001', 'EB-9001', 0.985 * p.energyNet('TG-9001'));
  heatLoss('TG-9001', 'Turbo-generator mechanical and electrical losses');
  const exhaust = p.get('tg-exhaust').nominal.massFlowKgPerS!;
  p.stream({ id: 'condensate', name: 'Condensate to deaerator', kind: 'energy', medium: 'water', from: 'CD-9001', to: 'DA-9001', nominal: { ...w(exhaust, H_CONDENSATE, degC(41.5), bara(6)), densityKgPerM3: 991 } });
  const hCwIn = hWater(degC(24));
  const hCwOut = hWater(degC(33));
  const cw = p.energyNet('CD-9001') / (hCwOut - hCwIn);
  p.stream({ id: 'cw-cd9001-supply', name: 'Cooling water to condenser', kind: 'energy', medium: 'coolingWater', from: null, to: 'CD-9001', nominal: { ...w(cw, hCwIn, degC(24), barg(2.5)), densityKgPerM3: 997 } });
  p.stream({ id: 'cw-cd9001-return', name: 'Cooling water from condenser', kind: 'energy', medium: 'coolingWater', from: 'CD-9001', to: null, nominal: { ...w(cw, hCwOut, degC(33), barg(1.2)), densityKgPerM3: 995 } });
  p.stream({ id: 'demin-makeup', name: 'Demineralised water make-up', kind: 'energy', medium: 'water', from: null, to: 'DA-9001', nominal: { ...w(p.massNet('DA-9001') * -1, hWater(degC(20)), degC(20), barg(4)), densityKgPerM3: 998 } });

  // ---- electricity: the works exports its surplus
  el('el-other-loads', 'Rolling mills, oxygen plant and other loads', 'EB-9001', null, 72_000_000);
  const surplus = p.energyNet('EB-9001');
  if (surplus >= 0) el('el-grid-export', 'Export to grid', 'EB-9001', null, surplus);
  else el('el-grid-import', 'Import from grid', null, 'EB-9001', -surplus);

  // ---- instruments
  const m = (area: { id: string }, stream: string, ...specs: string[]) => p.measure(area.id, stream, ...specs);
  m(iron, 'coal-charge', 'F');
  m(iron, 'coke-to-bf', 'F');
  m(iron, 'coke-byproducts', 'F');
  m(iron, 'el-co6001', 'J');
  m(iron, 'gas-co6001', 'Fkn', 'P');
  m(iron, 'air-co-6001', 'Fkn');
  m(iron, 'air-bl6001', 'Fkn', 'T');
  m(iron, 'el-bl6001', 'J');
  m(iron, 'cold-blast', 'Fkn', 'T', 'P');
  m(iron, 'hot-blast', 'Fkn', 'T', 'T', 'P', 'P');
  m(iron, 'gas-st6001', 'Fkn', 'T', 'Pm', 'A:CO', 'A:H2');
  m(iron, 'air-st-6001', 'Fkn');
  m(iron, 'flue-st-6001', 'T', 'T');
  m(iron, 'bf-burden', 'F');
  m(iron, 'bf-pci', 'F');
  m(iron, 'bf-oxygen', 'Fn', 'P');
  m(iron, 'hot-metal', 'F', 'T');
  m(iron, 'bf-slag', 'F', 'T');
  m(iron, 'bfg-raw', 'T', 'T', 'P', 'P');
  m(iron, 'bf-dust', 'Fk');
  m(iron, 'bfg-clean', 'Fkn', 'T', 'Pm', 'A:CO', 'A:CO2', 'A:H2');
  m(steel, 'bof-scrap', 'F');
  m(steel, 'bof-oxygen', 'Fn', 'P');
  m(steel, 'bof-lime', 'Fk');
  m(steel, 'crude-steel', 'F', 'T');
  m(steel, 'bof-slag', 'F');
  m(steel, 'bofg-recovered', 'Fkn', 'T', 'Pm', 'A:CO');
  m(steel, 'lf-alloys', 'Fk');
  m(steel, 'el-lf7001', 'J');
  m(steel, 'refined-steel', 'F', 'T');
  m(steel, 'el-cc7001', 'J');
  m(steel, 'cw-cc7001-supply', 'Fv', 'T', 'P');
  m(steel, 'cw-cc7001-return', 'T');
  m(steel, 'slabs', 'F', 'T');
  m(steel, 'cc-crop', 'Fk');
  for (const h of Object.values(holders)) p.level(gas.id, h.id, h.h, true);
  m(gas, 'bfg-flare', 'Fkn', 'Pm');
  m(gas, 'bfg-mix', 'Fkn', 'T', 'Pm');
  m(gas, 'bofg-mix', 'Fkn', 'T', 'Pm');
  m(gas, 'cog-raw', 'Fkn', 'T', 'Pm', 'A:H2', 'A:CH4');
  m(gas, 'cog-mix', 'Fkn', 'T', 'Pm');
  m(gas, 'flare-flue', 'T');
  for (const n of [1, 2]) {
    m(power, `gas-pb900${n}`, 'Fkn', 'T', 'Pm');
    m(power, `air-pb-900${n}`, 'Fkn');
    m(power, `flue-pb-900${n}`, 'T');
    m(power, `bfw-pb900${n}`, 'F', 'T', 'P');
    m(power, `hp-pb900${n}`, 'F', 'T', 'P');
    m(power, `blowdown-pb900${n}`, 'Fk');
  }
  m(power, 'gas-pb9001', 'A:CO', 'A:H2', 'A:CH4');
  m(power, 'tg-extraction', 'F', 'T', 'P');
  m(power, 'el-tg9001', 'J', 'J');
  m(power, 'condensate', 'F', 'T');
  m(power, 'cw-cd9001-supply', 'Fv', 'T');
  m(power, 'cw-cd9001-return', 'T');
  m(power, 'demin-makeup', 'F');
  m(power, 'bfw-deaerated', 'T');
  m(power, 'el-p9001', 'Jk');
  m(power, 'el-other-loads', 'J');
  m(power, surplus >= 0 ? 'el-grid-export' : 'el-grid-import', 'J');
  // secondary and redundant instruments
  m(iron, 'cold-blast', 'P');
  m(iron, 'hot-metal', 'T');
  m(iron, 'coke-water', 'F');
  m(steel, 'bof-dust', 'Fk');
  m(steel, 'lf-slag', 'Fk');
  m(steel, 'cc-scale', 'Fk');
  m(steel, 'slabs', 'T');
  m(steel, 'cw-cc7001-return', 'Fv');
  m(gas, 'bofg-mix', 'A:CO', 'A:CO2');
  m(gas, 'bfg-mix', 'A:CO');
  m(power, 'gas-pb9002', 'A:CO');
  for (const n of [1, 2]) {
    m(power, `hp-pb900${n}`, 'T');
    m(power, `blowdown-pb900${n}`, 'T');
  }
  m(power, 'tg-exhaust', 'T');
  m(power, 'demin-makeup', 'T');
  return p.build();
};
