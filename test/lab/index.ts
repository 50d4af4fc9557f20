// Public entry of the SIP test lab: re-exports the lab, its services and the test-support helpers it relies on.
export * from './ports';
export * from './process';
export * from './kamailio';
export * from './rtpengine';
export * from './baresip';
export * from './linphone';
export * from '../support/event-log';
export * from './ws-front';
export * from './sipp';
export * from './sipp-caller';
export * from './netns';
export * from './lab';
export * from '../support/sip-digest';
export * from '../support/sip-ws-client';
export * from '../support/sip-udp-client';
export * from '../support/wav';
