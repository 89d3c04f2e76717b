// Every UI-level check, in the order the e2e runner runs them in one workbench.
import { diagramCheck } from './diagram';
import { diagramRestoreCheck } from './diagramRestore';
import { highlightingCheck } from './highlighting';
import { hoverCheck, inlayHintCheck } from './hover';
import { languageModeCheck } from './languageMode';
import { problemsPanelCheck } from './problemsPanel';
import { screenshotCheck } from './screenshot';
import type { UiCheck } from './workbench';

export type { UiCheck, UiContext } from './workbench';

export const uiChecks: UiCheck[] = [
  languageModeCheck,
  highlightingCheck,
  hoverCheck,
  inlayHintCheck,
  problemsPanelCheck,
  diagramCheck,
  screenshotCheck,
  diagramRestoreCheck,
];
