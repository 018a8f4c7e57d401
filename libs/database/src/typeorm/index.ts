export * from './migrate.command';
export * from './read-model.data-source';
export * from './read-model.migrations';
export * from './typeorm.logger';
