/**
 * The keys reggen's schema knows at each level (util/reggen: ip_block.py, register.py,
 * multi_register.py, field.py, window.py, interrupt.py, alert.py, params.py). Keys outside these
 * sets produce `hjson/unknown-key` warnings: they are usually typos, and the IR would silently miss
 * what they meant.
 */
const set = (...keys: string[]): ReadonlySet<string> => new Set(keys);

export const topKeys = set(
  'name',
  'human_name',
  'one_line_desc',
  'one_paragraph_desc',
  'cip_id',
  'design_spec',
  'dv_doc',
  'hw_checklist',
  'sw_checklist',
  'version',
  'revisions',
  'life_stage',
  'design_stage',
  'verification_stage',
  'dif_stage',
  'notes',
  'commit_id',
  'clocking',
  'clock_primary',
  'other_clock_list',
  'reset_primary',
  'other_reset_list',
  'bus_interfaces',
  'bus_device',
  'bus_host',
  'available_input_list',
  'available_output_list',
  'available_inout_list',
  'interrupt_list',
  'alert_list',
  'no_auto_intr_regs',
  'no_auto_alert_regs',
  'wakeup_list',
  'reset_request_list',
  'scan',
  'scan_reset',
  'scan_en',
  'param_list',
  'regwidth',
  'registers',
  'inter_signal_list',
  'countermeasures',
  'features',
  'expose_reg_if',
  'hier_path',
  'alias_impl',
  'template_param_list',
  'security_features',
  'racl_support',
);

export const registerKeys = set(
  'name',
  'desc',
  'swaccess',
  'hwaccess',
  'hwext',
  'hwqe',
  'hwre',
  'regwen',
  'resval',
  'tags',
  'shadowed',
  'update_err_alert',
  'storage_err_alert',
  'async',
  'sync',
  'alias_target',
  'writes_ignore_errors',
  'fields',
);

export const multiregKeys = set(...registerKeys, 'count', 'cname', 'regwen_multi', 'compact', 'cdc');

export const fieldKeys = set('bits', 'name', 'desc', 'swaccess', 'hwaccess', 'hwqe', 'resval', 'enum', 'tags', 'mubi', 'auto_split', 'alias_target');

export const windowKeys = set('name', 'desc', 'items', 'swaccess', 'byte-write', 'validbits', 'unusual', 'data-intg-passthru');

export const enumKeys = set('value', 'name', 'desc');

export const interruptKeys = set('name', 'desc', 'width', 'type', 'auto_split', 'default');

export const alertKeys = set('name', 'desc');

export const paramKeys = set('name', 'desc', 'type', 'default', 'local', 'expose', 'randcount', 'randtype', 'name_top', 'unpacked_dimensions');
