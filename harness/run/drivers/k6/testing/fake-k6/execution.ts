import { fake } from './state.ts';

export default {
  get scenario() {
    return fake.scenario;
  },
  vu: {
    metrics: {
      get metadata() {
        return fake.metadata;
      },
    },
  },
};
