export * from './symmetric-matrix';
export * from './minimum-degree';
export * from './ldl';
export * from './selected-inverse';
