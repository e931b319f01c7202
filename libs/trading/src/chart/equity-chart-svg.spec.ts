import { equityChartSvg } from './equity-chart-svg';

describe('equityChartSvg', () => {
  it('draws both curves, year ticks and the drawdown span', () => {
    const times = [Date.UTC(2021, 11, 30), Date.UTC(2021, 11, 31), Date.UTC(2022, 0, 3), Date.UTC(2022, 0, 4)];
    const svg = equityChartSvg({ title: 'A <test>', times, equity: [1, 1.1, 0.9, 1.2], benchmark: [1, 1, 1, 1], drawdown: { peakIndex: 1, troughIndex: 2 } });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('A &#60;test&#62;');
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('>2021<');
    expect(svg).toContain('>2022<');
    expect(svg).toContain('max drawdown');
    // the highest point (1.2) sits at the top of the plot area
    expect(svg).toMatch(/L800\.0,32\.0|L784\.0,32\.0/);
  });

  it('copes with a flat curve', () => {
    expect(equityChartSvg({ title: 'flat', times: [0, 1], equity: [1, 1] })).not.toContain('NaN');
  });
});
