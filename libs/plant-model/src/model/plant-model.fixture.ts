/** A three-unit plant (feed tank → pump → heater) used by the unit tests. */
export const SMALL_PLANT_YAML = `
schemaVersion: 1
plantId: test-plant
name: Test plant
sites:
  - id: site-a
    name: Site A
    areas:
      - id: area-1
        name: Area 1
        units:
          - id: TK-1
            name: Feed tank
            type: tank
            inventory: { areaM2: 100, densityKgPerM3: 800, heightM: 10, nominalLevelM: 5, nominalLevelRateMPerS: 0.0001 }
          - id: P-1
            name: Feed pump
            type: pump
          - id: H-1
            name: Heater
            type: furnace
streams:
  - id: feed
    name: Feed
    kind: material
    medium: oil
    from: null
    to: TK-1
    nominal: { massFlowKgPerS: 18, temperatureK: 300, pressurePa: 300000 }
  - id: tank-out
    name: Tank outlet
    kind: material
    medium: oil
    from: TK-1
    to: P-1
    nominal: { massFlowKgPerS: 10, temperatureK: 300, pressurePa: 150000, densityKgPerM3: 800 }
  - id: power
    name: Pump motor
    kind: energy
    medium: electricity
    from: null
    to: P-1
    nominal: { powerW: 50000 }
  - id: pumped
    name: Pumped oil
    kind: material
    medium: oil
    from: P-1
    to: H-1
    nominal: { massFlowKgPerS: 10, temperatureK: 300.5, pressurePa: 1500000 }
  - id: fuel
    name: Fuel gas
    kind: energy
    medium: fuelGas
    from: null
    to: H-1
    nominal: { massFlowKgPerS: 0.1, temperatureK: 300, pressurePa: 400000, composition: { CH4: 0.9, C2H6: 0.1 }, normalDensityKgPerNm3: 0.75 }
  - id: hot-oil
    name: Hot oil
    kind: material
    medium: oil
    from: H-1
    to: null
    nominal: { massFlowKgPerS: 10, temperatureK: 600, pressurePa: 1200000 }
  - id: flue
    name: Flue gas
    kind: material
    medium: flueGas
    from: H-1
    to: null
    nominal: { massFlowKgPerS: 0.1 }
tags:
  - { id: FI-1, streamId: tank-out, kind: massFlow, unit: t/h, range: { min: 0, max: 60 }, uncertainty: { standardDeviation: 1, basis: percentOfReading }, samplingPeriodS: 1 }
  - { id: FI-2, streamId: tank-out, kind: volumetricFlow, unit: m3/h, range: { min: 0, max: 80 }, uncertainty: { standardDeviation: 0.5, basis: absolute }, samplingPeriodS: 1 }
  - { id: FI-3, streamId: hot-oil, kind: massFlow, unit: kg/s, range: { min: 0, max: 20 }, uncertainty: { standardDeviation: 0.1, basis: absolute }, samplingPeriodS: 1 }
  - { id: TI-1, streamId: hot-oil, kind: temperature, unit: degC, range: { min: 200, max: 400 }, uncertainty: { standardDeviation: 0.5, basis: absolute }, samplingPeriodS: 5, exception: { deadband: 0.2, maxIntervalS: 600 } }
  - { id: PI-1, streamId: pumped, kind: pressure, unit: barg, range: { min: 0, max: 25 }, uncertainty: { standardDeviation: 0.25, basis: percentOfSpan }, samplingPeriodS: 1 }
  - { id: FI-4, streamId: fuel, kind: normalVolumetricFlow, unit: Nm3/h, range: { min: 0, max: 1000 }, uncertainty: { standardDeviation: 2, basis: percentOfReading }, samplingPeriodS: 1 }
  - { id: AI-1, streamId: fuel, kind: composition, component: CH4, unit: '%', compositionBasis: mass, range: { min: 0, max: 100 }, uncertainty: { standardDeviation: 0.5, basis: absolute }, samplingPeriodS: 60 }
  - { id: JI-1, streamId: power, kind: power, unit: kW, range: { min: 0, max: 100 }, uncertainty: { standardDeviation: 0.5, basis: percentOfReading }, samplingPeriodS: 1 }
  - { id: LI-1, unitId: TK-1, kind: level, unit: m, range: { min: 0, max: 10 }, uncertainty: { standardDeviation: 0.005, basis: absolute }, samplingPeriodS: 10 }
`;
