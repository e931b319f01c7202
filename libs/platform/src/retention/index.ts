export * from './retention-policy';
export * from './retention-config';
export * from './retention-sweeper';
export * from './retention.service';
export * from './retention.module';
