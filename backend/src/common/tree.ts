/**
 * Where a node of a tree (a task under a task, a project under a project)
 * may go. Depth counts levels: a top-level node is at depth 1.
 */
export type PlacementProblem = 'cycle' | 'too-deep';

export interface Placement {
  /** The node being placed. */
  readonly id: string;
  /** The new parent and its ancestors, nearest first; empty for top level. */
  readonly parentChain: readonly string[];
  /** Levels of the node's subtree, itself included (1 for a leaf). */
  readonly subtreeHeight: number;
  readonly maxDepth: number;
}

/** Undefined when the placement is allowed. */
export function placementProblem({ id, parentChain, subtreeHeight, maxDepth }: Placement): PlacementProblem | undefined {
  // Under itself or one of its own descendants: the descendant would be its own ancestor.
  if (parentChain.includes(id)) return 'cycle';
  if (parentChain.length + subtreeHeight > maxDepth) return 'too-deep';
  return undefined;
}
