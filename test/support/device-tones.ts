// Chromium's fake microphones all play the same file, so a test could not hear which one a call
// sends. This page init script gives chosen fake microphones (by label) a tone of their own:
// getUserMedia still opens the real fake device (permissions, device id, label as usual) but
// hands out a track of a pure tone instead, whose getSettings() reports the real device and
// whose stop() also stops the real capture.

/** An init script (page.addInitScript) that makes the microphone labelled `label` play `freq` Hz. */
export function deviceToneScript(tones: Record<string, number>): string {
  return `(() => {
  const tones = ${JSON.stringify(tones)};
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    const real = stream.getAudioTracks()[0];
    const freq = real ? tones[real.label] : undefined;
    if (freq === undefined) return stream;
    const ctx = new AudioContext();
    const oscillator = ctx.createOscillator();
    oscillator.frequency.value = freq;
    const gain = ctx.createGain();
    gain.gain.value = 0.5;
    const destination = ctx.createMediaStreamDestination();
    oscillator.connect(gain).connect(destination);
    oscillator.start();
    const tone = destination.stream.getAudioTracks()[0];
    const settings = real.getSettings();
    const ownSettings = tone.getSettings.bind(tone);
    tone.getSettings = () => ({ ...ownSettings(), deviceId: settings.deviceId, groupId: settings.groupId });
    const stop = tone.stop.bind(tone);
    tone.stop = () => { stop(); real.stop(); void ctx.close(); };
    return new MediaStream([tone, ...stream.getVideoTracks()]);
  };
})();`;
}

/** The tone the tests give "Fake Audio Input 2" (no harmonic of the browsers' 440/660/880 Hz). */
export const SECOND_MIC_HZ = 1250;
/** deviceToneScript for the tests' usual choice: "Fake Audio Input 2" plays SECOND_MIC_HZ. */
export const SECOND_MIC_TONE = deviceToneScript({ 'Fake Audio Input 2': SECOND_MIC_HZ });
