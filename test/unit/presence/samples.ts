// Owns realistic event bodies as servers send them (shapes from RFC 4235/3863/3842/3994 and from
// what Kamailio, Asterisk and FreeSWITCH emit), shared by the parser tests and the fuzz seeds.

/** RFC 4235 §4.2 style: a terminated outgoing dialog, with duration and target params. */
export const RFC4235_EXAMPLE = `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info"
             version="0" state="full" entity="sip:alice@example.com">
  <dialog id="as7d900as8" call-id="a84b4c76e66710"
          local-tag="1928301774" direction="initiator">
    <state event="rejected" code="486">terminated</state>
    <duration>274</duration>
    <local>
      <identity display="Alice Smith">sip:alice@example.com</identity>
      <target uri="sip:alice@pc33.example.com">
        <param pname="isfocus" pvalue="true"/>
        <param pname="class" pvalue="personal"/>
      </target>
    </local>
    <remote>
      <identity display="Bob">sip:bob@example.org</identity>
      <target uri="sip:bobster@phone21.example.org"/>
    </remote>
  </dialog>
</dialog-info>`;

/** Kamailio pua_dialoginfo: Bob's phone is ringing, Alice calls him. */
export const KAMAILIO_RINGING = `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="1" state="full" entity="sip:bob@lab.example">
  <dialog id="c0a80101-13c4-2" call-id="7f3a1c@10.0.0.5" local-tag="bob-tag-1" remote-tag="alice-tag-9" direction="recipient">
    <state>early</state>
    <remote>
      <identity display="Alice Liddell">sip:alice@lab.example</identity>
      <target uri="sip:alice@10.0.0.5:5060;transport=udp"/>
    </remote>
    <local>
      <identity>sip:bob@lab.example</identity>
      <target uri="sip:bob@lab.example"/>
    </local>
  </dialog>
</dialog-info>`;

/** The same dialog answered, as a partial notification with the next version. */
export const KAMAILIO_CONFIRMED_PARTIAL = `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="2" state="partial" entity="sip:bob@lab.example">
  <dialog id="c0a80101-13c4-2" call-id="7f3a1c@10.0.0.5" local-tag="bob-tag-1" remote-tag="alice-tag-9" direction="recipient">
    <state>confirmed</state>
  </dialog>
</dialog-info>`;

/** And hung up. */
export const KAMAILIO_TERMINATED_PARTIAL = `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="3" state="partial" entity="sip:bob@lab.example">
  <dialog id="c0a80101-13c4-2" call-id="7f3a1c@10.0.0.5" local-tag="bob-tag-1" remote-tag="alice-tag-9" direction="recipient">
    <state event="remote-bye">terminated</state>
  </dialog>
</dialog-info>`;

/** Asterisk (older res_pjsip and chan_sip): no direction, no ids; 'early' means ringing. */
export const ASTERISK_RINGING = `<?xml version="1.0" encoding="UTF-8"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="4" state="full" entity="sip:201@pbx.example">
 <dialog id="201">
  <state>early</state>
 </dialog>
</dialog-info>`;

/** Asterisk chan_sip with pickup data (call-id prefixed 'pickup-', its own tag as remote-tag). */
export const ASTERISK_PICKUP = `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="3" state="full" entity="sip:2621@192.168.50.1">
<dialog id="2621" call-id="pickup-f790a853-eecf4fb8-65f1d8f5@192.168.50.125" local-tag="3890462F-63E77AB4" remote-tag="as7f73e479" direction="recipient">
<remote>
<identity display="2609 Joe">sip:2609@192.168.50.1</identity>
<target uri="sip:2609@192.168.50.1"/>
</remote>
<local>
<identity display="2621">sip:2621@192.168.50.1</identity>
<target uri="sip:2621@192.168.50.1"/>
</local>
<state>early</state>
</dialog>
</dialog-info>`;

/** Asterisk idle: a full document with no dialogs... and in use: confirmed. */
export const ASTERISK_IDLE = `<?xml version="1.0" encoding="UTF-8"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="5" state="full" entity="sip:201@pbx.example"><dialog id="201"><state>terminated</state></dialog></dialog-info>`;

/** FreeSWITCH: prefixes, params in the target, the pickup code in the remote target. */
export const FREESWITCH_RINGING = `<?xml version="1.0" encoding="ISO-8859-1"?>
<di:dialog-info xmlns:di="urn:ietf:params:xml:ns:dialog-info" version="12" state="full" entity="sip:1000@192.168.1.10">
<di:dialog id="f2d8bd0c-4c1e-11ee-8e4b-0f0d2b4a1c5e" direction="recipient">
<di:state>early</di:state>
<di:local>
<di:identity display="1000">sip:1000@192.168.1.10</di:identity>
<di:target uri="sip:1000@192.168.1.10"><di:param pname="+sip.rendering" pvalue="yes"/></di:target>
</di:local>
<di:remote>
<di:identity display="Bob &amp; Co">sip:1001@192.168.1.10</di:identity>
<di:target uri="sip:**1000@192.168.1.10"/>
</di:remote>
</di:dialog>
</di:dialog-info>`;

/** RFC 3863 §3.3 style with RPID: open, on the phone, with a note. */
export const PIDF_ON_THE_PHONE = `<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf"
    xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
    xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"
    entity="pres:someone@example.com">
  <tuple id="bs35r9">
    <status><basic>open</basic></status>
    <contact priority="0.8">im:someone@mobilecarrier.net</contact>
    <note xml:lang="en">Don't Disturb Please!</note>
    <timestamp>2001-10-27T16:49:29Z</timestamp>
  </tuple>
  <dm:person id="p1">
    <rpid:activities><rpid:on-the-phone/></rpid:activities>
    <dm:note>Talking to a customer</dm:note>
  </dm:person>
</presence>`;

/** Asterisk res_pjsip PIDF: basic closed with the note as the only hint of "busy". */
export const ASTERISK_PIDF_INUSE = `<?xml version="1.0" encoding="UTF-8"?>
<presence entity="sip:201@pbx.example" xmlns="urn:ietf:params:xml:ns:pidf">
 <note>On the phone</note>
 <tuple id="201">
  <status><basic>closed</basic></status>
  <contact priority="1">sip:201@10.0.0.7</contact>
 </tuple>
</presence>`;

/** Asterisk chan_sip style with the pre-RFC RPID namespaces. */
export const LEGACY_RPID_AWAY = `<?xml version="1.0" encoding="ISO-8859-1"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf"
  xmlns:pp="urn:ietf:params:xml:ns:pidf:person"
  xmlns:es="urn:ietf:params:xml:ns:pidf:rpid:status:rpid-status"
  xmlns:ep="urn:ietf:params:xml:ns:pidf:rpid:rpid-person"
  entity="sip:202@pbx.example">
<pp:person><status><ep:activities><ep:away/></ep:activities></status></pp:person>
<note>Away</note>
<tuple id="202"><contact priority="1">sip:202@pbx.example</contact><status><basic>open</basic></status></tuple>
</presence>`;

/** RFC 3994 §7 style 'active' indication. */
export const ISCOMPOSING_ACTIVE = `<?xml version="1.0" encoding="UTF-8"?>
<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="urn:ietf:params:xml:ns:im-composing iscomposing.xsd">
  <state>active</state>
  <contenttype>text/plain</contenttype>
  <refresh>90</refresh>
</isComposing>`;

/** RFC 3842 §6 example. */
export const MWI_RFC = `Messages-Waiting: yes
Message-Account: sip:alice@vmail.example.com
Voice-Message: 4/8 (1/2)
`;

/** Asterisk. */
export const MWI_ASTERISK =
  'Messages-Waiting: yes\r\nMessage-Account: sip:*97@pbx.example\r\nVoice-Message: 2/5 (0/0)\r\n';

/** FreeSWITCH. */
export const MWI_FREESWITCH =
  'Messages-Waiting: no\r\nMessage-Account: sip:1000@192.168.1.10\r\nVoice-Message: 0/3 (0/0)\r\n\r\n';

/** Every XML sample, for fuzz seeds. */
export const XML_SAMPLES: readonly string[] = [
  RFC4235_EXAMPLE,
  KAMAILIO_RINGING,
  KAMAILIO_CONFIRMED_PARTIAL,
  ASTERISK_RINGING,
  ASTERISK_PICKUP,
  FREESWITCH_RINGING,
  PIDF_ON_THE_PHONE,
  ASTERISK_PIDF_INUSE,
  LEGACY_RPID_AWAY,
  ISCOMPOSING_ACTIVE,
];
