import type { DeviceModel } from '../device-model.ts';
import type { BehaviourResolver } from './parse.ts';

/**
 * Behaviour names resolved against a device model: `REG.FIELD` in the behaviour's peripheral first,
 * then an absolute `PERIPHERAL.REG.FIELD`. The simulator, the overlay check and the wait-time-out
 * explanation all parse behaviours through this one resolver.
 */
export function modelResolver(model: DeviceModel): BehaviourResolver {
  return {
    field: (peripheral, text) => (model.field(`${peripheral.name}.${text}`) ?? model.field(text))?.path,
    register: (peripheral, text) => (model.registerByPath(`${peripheral.name}.${text}`) ?? model.registerByPath(text))?.path,
  };
}
