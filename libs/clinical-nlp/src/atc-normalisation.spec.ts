import { ATC_SYSTEM, AtcNormaliser } from './atc-normalisation';

describe('AtcNormaliser', () => {
  const atc = new AtcNormaliser();

  it.each([
    ['metformin', 'A10BA02'],
    ['Metformin XR', 'A10BA02'],
    ['LIPITOR', 'C10AA05'],
    ['metoprolol succinate', 'C07AB02'],
    ['IV cefazolin', 'J01DB04'],
    ['ASA', 'B01AC06'],
    ['paracetamol', 'N02BE01'],
    ['amoxicillin and clavulanate', 'J01CR02'],
    ['insulin glargine', 'A10AE04'],
  ])('%s -> %s', (mention, code) => {
    expect(atc.normalise(mention)).toEqual(expect.objectContaining({ system: ATC_SYSTEM, code }));
  });

  it('returns nothing for words it does not know rather than guessing', () => {
    expect(atc.normalise('semaglutide')).toBeUndefined();
    expect(atc.normalise('chest pain')).toBeUndefined();
  });
});
